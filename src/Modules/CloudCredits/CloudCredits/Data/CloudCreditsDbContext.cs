using ChaosModular.Modules.Infrastructure.Outbox;

namespace ChaosModular.CloudCredits.Data;

internal sealed class CloudCreditsDbContext(DbContextOptions<CloudCreditsDbContext> options) : DbContext(options), IOutboxContext
{
    public const string Schema = "cloudcredits";

    public DbSet<CreditGrant> Grants => Set<CreditGrant>();
    public DbSet<CreditAllocation> Allocations => Set<CreditAllocation>();
    public DbSet<PoolChoice> PoolChoices => Set<PoolChoice>();
    public DbSet<CreditDebit> Debits => Set<CreditDebit>();
    public DbSet<CreditDebitPart> DebitParts => Set<CreditDebitPart>();
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
        modelBuilder.Entity<CreditAllocation>(b =>
        {
            b.ToTable("credit_allocations");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.PoolAccountId).HasMaxLength(64).IsRequired();
            b.Property(x => x.UserId).HasMaxLength(64).IsRequired();
            b.Property(x => x.Limit).HasPrecision(18, 4);
            b.Property(x => x.Used).HasPrecision(18, 4);
            b.Ignore(x => x.IsUnlimited);
            b.Ignore(x => x.Remaining);
            // One row per user and organization, so racing first allocations make one.
            b.HasIndex(x => new { x.OrganizationId, x.UserId }).IsUnique();
            // A debit finds the user's allocation by user.
            b.HasIndex(x => new { x.UserId, x.Active });
        });
        modelBuilder.Entity<PoolChoice>(b =>
        {
            b.ToTable("pool_choices");
            b.HasKey(x => x.UserId);
            b.Property(x => x.UserId).HasMaxLength(64);
            b.Property(x => x.Pool).HasConversion<string>().HasMaxLength(20);
        });
        modelBuilder.Entity<CreditDebit>(b =>
        {
            b.ToTable("credit_debits");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.Service).HasMaxLength(CreditDebit.MaxServiceLength).IsRequired();
            b.Property(x => x.RequestId).HasMaxLength(CreditDebit.MaxRequestIdLength).IsRequired();
            b.Property(x => x.Account).HasMaxLength(CreditDebit.MaxAccountLength).IsRequired();
            b.Property(x => x.UserId).HasMaxLength(64).IsRequired();
            b.Property(x => x.PoolAccountId).HasMaxLength(64).IsRequired();
            b.Property(x => x.Pool).HasConversion<string>().HasMaxLength(20);
            b.Property(x => x.Credits).HasPrecision(18, 4);
            b.Property(x => x.AvailableAfter).HasPrecision(18, 4);
            b.Property(x => x.Description).HasMaxLength(CreditDebit.MaxDescriptionLength).IsRequired();
            // Each debit once per service: a replay meets this index and answers the first result.
            b.HasIndex(x => new { x.Service, x.RequestId }).IsUnique();
            b.HasIndex(x => new { x.UserId, x.AtUtc });
            b.HasMany(x => x.Parts).WithOne().HasForeignKey(p => p.DebitId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<CreditDebitPart>(b =>
        {
            b.ToTable("credit_debit_parts");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.Credits).HasPrecision(18, 4);
            b.HasIndex(x => x.GrantId);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseUtcDateTimes();
}
