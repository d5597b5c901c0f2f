using ChaosModular.Modules.Infrastructure.Outbox;

namespace ChaosModular.Subscriptions.Data;

internal sealed class SubscriptionsDbContext(DbContextOptions<SubscriptionsDbContext> options) : DbContext(options), IOutboxContext
{
    public const string Schema = "subscriptions";

    public DbSet<Subscription> Subscriptions => Set<Subscription>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.Entity<Subscription>(b =>
        {
            b.ToTable("subscriptions");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.Property(x => x.PlanCode).HasMaxLength(80).IsRequired();
            b.Property(x => x.ProductCode).HasMaxLength(60).IsRequired();
            b.Property(x => x.FamilyCode).HasMaxLength(40).IsRequired();
            b.Property(x => x.Term).HasConversion<string>().HasMaxLength(10);
            b.Property(x => x.Status).HasConversion<string>().HasMaxLength(10);
            b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength().IsRequired();
            b.Property(x => x.PricePerSeat).HasPrecision(18, 4);
            b.Property(x => x.LicenseKey).HasMaxLength(40);
            b.Property(x => x.Version).IsConcurrencyToken();
            b.Ignore(x => x.PricePerSeatPerTerm);
            b.HasIndex(x => new { x.CustomerId, x.Status, x.RenewsOn });
            b.HasIndex(x => new { x.Status, x.RenewsOn });
        });
        modelBuilder.Entity<Order>(b =>
        {
            b.ToTable("orders");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.Property(x => x.Kind).HasConversion<string>().HasMaxLength(20);
            b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
            b.Property(x => x.PlanCode).HasMaxLength(80).IsRequired();
            b.Property(x => x.FromPlanCode).HasMaxLength(80);
            b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength().IsRequired();
            b.Property(x => x.PricePerSeat).HasPrecision(18, 4);
            b.Property(x => x.Amount).HasPrecision(18, 2);
            b.Property(x => x.InvoiceNumber).HasMaxLength(32);
            b.Property(x => x.CancelReason).HasMaxLength(500);
            b.Ignore(x => x.SourceReference);
            b.Ignore(x => x.IsPartialUpgrade);
            // One renewal order per subscription and renewal date, whoever runs the job and however often.
            b.HasIndex(x => new { x.SubscriptionId, x.RenewalOf }).IsUnique();
            // The renewal drain's claim reads open renewal orders oldest first: with the creation time in the index it
            // reads the first unclaimed ones in order instead of sorting every open order per claim (docs/performance.md).
            b.HasIndex(x => new { x.Status, x.Kind, x.CreatedUtc });
            b.HasIndex(x => x.CustomerId);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseUtcDateTimes();
}
