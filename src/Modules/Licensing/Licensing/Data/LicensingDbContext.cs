using ChaosModular.Modules.Infrastructure.Outbox;

namespace ChaosModular.Licensing.Data;

internal sealed class LicensingDbContext(DbContextOptions<LicensingDbContext> options) : DbContext(options), IOutboxContext
{
    public const string Schema = "licensing";

    public DbSet<License> Licenses => Set<License>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.Entity<License>(b =>
        {
            b.ToTable("licenses");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.Property(x => x.ProductCode).HasMaxLength(64).IsRequired();
            b.Property(x => x.FamilyCode).HasMaxLength(64).IsRequired();
            b.Property(x => x.LicenseType).HasMaxLength(32);
            b.Property(x => x.LicenseKey).HasMaxLength(40);
            b.Property(x => x.KeyForVersionsBefore).HasMaxLength(20);
            b.Property(x => x.State).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.Version).IsConcurrencyToken();
            b.Ignore(x => x.Availability);
            // One license per subscription: a redelivered or racing event finds it instead of making another.
            b.HasIndex(x => x.SubscriptionId).IsUnique();
            // A key is never given twice (a collision of new keys retries with another).
            b.HasIndex(x => x.LicenseKey).IsUnique();   // nulls do not collide (SQL Server gets an IS NOT NULL filter)
            // The Licenses page: a customer's licenses by state and family.
            b.HasIndex(x => new { x.CustomerId, x.State, x.FamilyCode });
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseUtcDateTimes();
}
