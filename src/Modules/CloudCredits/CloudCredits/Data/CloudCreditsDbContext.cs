using ChaosModular.Modules.Infrastructure.Outbox;

namespace ChaosModular.CloudCredits.Data;

internal sealed class CloudCreditsDbContext(DbContextOptions<CloudCreditsDbContext> options) : DbContext(options), IOutboxContext
{
    public const string Schema = "cloudcredits";

    public DbSet<CreditGrant> Grants => Set<CreditGrant>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.Entity<CreditGrant>(b =>
        {
            b.ToTable("credit_grants");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.Property(x => x.Description).HasMaxLength(CreditGrant.MaxDescriptionLength).IsRequired();
            b.Property(x => x.Amount).HasPrecision(18, 4);
            b.Property(x => x.Used).HasPrecision(18, 4);
            b.Ignore(x => x.Remaining);
            // Cloud Credits page and the API: a customer's grants, soonest expiry first.
            b.HasIndex(x => new { x.CustomerId, x.ExpiresOn });
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseUtcDateTimes();
}
