using ChaosModular.Modules.Infrastructure.Outbox;

namespace ChaosModular.Billing.Data;

internal sealed class BillingDbContext(DbContextOptions<BillingDbContext> options) : DbContext(options), IOutboxContext
{
    public const string Schema = "billing";

    public DbSet<Invoice> Invoices => Set<Invoice>();
    public DbSet<Payment> Payments => Set<Payment>();
    public DbSet<Credit> Credits => Set<Credit>();
    public DbSet<CreditUse> CreditUses => Set<CreditUse>();
    public DbSet<PaymentMethod> PaymentMethods => Set<PaymentMethod>();
    public DbSet<BillingProfile> Profiles => Set<BillingProfile>();
    public DbSet<InvoiceNumberCounter> InvoiceNumbers => Set<InvoiceNumberCounter>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();

        modelBuilder.Entity<Invoice>(b =>
        {
            b.ToTable("invoices");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.Number).HasMaxLength(30).IsRequired();
            b.HasIndex(x => x.Number).IsUnique();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength().IsRequired();
            b.Property(x => x.Status).HasConversion<string>().HasMaxLength(10);
            b.Property(x => x.SourceReference).HasMaxLength(200);
            // One invoice per source (an order, a renewal): a retried or concurrent create finds the first one.
            // Many invoices have no source; SQL Server's unique index gets an IS NOT NULL filter by convention, the others allow many NULLs.
            b.HasIndex(x => new { x.CustomerId, x.SourceReference }).IsUnique();
            b.Property(x => x.VoidReason).HasMaxLength(Invoice.MaxVoidReasonLength);
            b.Property(x => x.Version).IsConcurrencyToken();
            foreach (var money in new[] { nameof(Invoice.Subtotal), nameof(Invoice.Tax), nameof(Invoice.Total), nameof(Invoice.AmountPaid) })
            {
                b.Property(money).HasPrecision(18, 4);
            }
            b.Property(x => x.TaxRatePercent).HasPrecision(7, 4);
            b.Ignore(x => x.Balance);
            b.Ignore(x => x.BalanceDue);
            b.Ignore(x => x.IsPayable);
            // Invoices page: a customer's invoices, newest first, filtered by status and issue date.
            b.HasIndex(x => new { x.CustomerId, x.IssuedUtc });
            b.HasIndex(x => new { x.Status, x.NextAutoPayUtc });
            // The invoices a payment holds (read back after a claim, and by the pending payments' retry); most hold none.
            b.HasIndex(x => x.PaymentLockId).HasFilter(Database.ProviderName switch
            {
                "Microsoft.EntityFrameworkCore.SqlServer" => "[PaymentLockId] IS NOT NULL",
                _ => "\"PaymentLockId\" IS NOT NULL",
            });
            b.OwnsOne(x => x.BillTo, o =>
            {
                o.Property(p => p.Name).HasColumnName("bill_to_name").HasMaxLength(200);
                o.Property(p => p.AddressLine1).HasColumnName("bill_to_address1").HasMaxLength(200);
                o.Property(p => p.AddressLine2).HasColumnName("bill_to_address2").HasMaxLength(200);
                o.Property(p => p.City).HasColumnName("bill_to_city").HasMaxLength(100);
                o.Property(p => p.PostalCode).HasColumnName("bill_to_postal_code").HasMaxLength(20);
                o.Property(p => p.Country).HasColumnName("bill_to_country").HasMaxLength(2);
                o.Property(p => p.BillingEmail).HasColumnName("bill_to_email").HasMaxLength(256);
                o.Property(p => p.VatId).HasColumnName("bill_to_vat_id").HasMaxLength(20);
            });
            b.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.InvoiceId).OnDelete(DeleteBehavior.Cascade);
            b.Navigation(x => x.Lines).HasField("_lines").UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        modelBuilder.Entity<InvoiceLine>(b =>
        {
            b.ToTable("invoice_lines");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.Description).HasMaxLength(300).IsRequired();
            b.Property(x => x.Quantity).HasPrecision(18, 4);
            b.Property(x => x.UnitPrice).HasPrecision(18, 4);
            b.Property(x => x.Amount).HasPrecision(18, 4);
            b.Property(x => x.ProductReference).HasMaxLength(100);
        });
        modelBuilder.Entity<Payment>(b =>
        {
            b.ToTable("payments");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.IdempotencyKey).HasMaxLength(100).IsRequired();
            b.HasIndex(x => x.IdempotencyKey).IsUnique();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.HasIndex(x => x.CustomerId);
            b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength().IsRequired();
            b.Property(x => x.Amount).HasPrecision(18, 4);
            b.Property(x => x.CreditApplied).HasPrecision(18, 4);
            b.Property(x => x.Status).HasConversion<string>().HasMaxLength(10);
            b.Property(x => x.MethodDescription).HasMaxLength(100);
            b.Property(x => x.GatewayReference).HasMaxLength(100);
            b.Property(x => x.FailureReason).HasMaxLength(500);
            b.Property(x => x.Description).HasMaxLength(500);
            b.Property(x => x.Version).IsConcurrencyToken();
            b.HasMany(x => x.Allocations).WithOne().HasForeignKey(a => a.PaymentId).OnDelete(DeleteBehavior.Cascade);
            b.Navigation(x => x.Allocations).HasField("_allocations").UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        modelBuilder.Entity<PaymentAllocation>(b =>
        {
            b.ToTable("payment_allocations");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.InvoiceNumber).HasMaxLength(30);
            b.Property(x => x.Amount).HasPrecision(18, 4);
            b.HasIndex(x => x.InvoiceId);
        });
        modelBuilder.Entity<Credit>(b =>
        {
            b.ToTable("credits");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.HasIndex(x => x.CustomerId);
            b.Property(x => x.Currency).HasMaxLength(3).IsFixedLength().IsRequired();
            b.Property(x => x.Amount).HasPrecision(18, 4);
            b.Property(x => x.Remaining).HasPrecision(18, 4);
            b.Property(x => x.Reason).HasMaxLength(200);
            b.Property(x => x.SourceReference).HasMaxLength(100);
            b.HasIndex(x => x.SourceReference).IsUnique();
            b.Property(x => x.Version).IsConcurrencyToken();
        });
        modelBuilder.Entity<CreditUse>(b =>
        {
            b.ToTable("credit_uses");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.Amount).HasPrecision(18, 4);
            b.HasIndex(x => x.PaymentId);
        });
        modelBuilder.Entity<PaymentMethod>(b =>
        {
            b.ToTable("payment_methods");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.HasIndex(x => x.CustomerId);
            // At most one default card per customer, whatever the provider's filter syntax.
            b.HasIndex(x => x.CustomerId, "IX_payment_methods_one_default").IsUnique().HasFilter(Database.ProviderName switch
            {
                "Npgsql.EntityFrameworkCore.PostgreSQL" => "\"IsDefault\" = TRUE",
                "Microsoft.EntityFrameworkCore.SqlServer" => "[IsDefault] = 1",
                _ => "\"IsDefault\" = 1",
            });
            b.Property(x => x.Brand).HasMaxLength(20);
            b.Property(x => x.Last4).HasMaxLength(4);
            b.Property(x => x.GatewayToken).HasMaxLength(100);
            b.Ignore(x => x.Description);
            // Removed cards stay for the payments made with them; nothing else sees them.
            b.HasQueryFilter(x => x.RemovedUtc == null);
        });
        modelBuilder.Entity<BillingProfile>(b =>
        {
            b.ToTable("billing_profiles");
            b.HasKey(x => x.CustomerId);
            b.Property(x => x.CustomerId).HasMaxLength(64);
            b.Property(x => x.Name).HasMaxLength(200);
            b.Property(x => x.AddressLine1).HasMaxLength(200);
            b.Property(x => x.AddressLine2).HasMaxLength(200);
            b.Property(x => x.City).HasMaxLength(100);
            b.Property(x => x.PostalCode).HasMaxLength(20);
            b.Property(x => x.Country).HasMaxLength(2);
            b.Property(x => x.BillingEmail).HasMaxLength(256);
            b.Property(x => x.VatId).HasMaxLength(20);
        });
        modelBuilder.Entity<InvoiceNumberCounter>(b =>
        {
            b.ToTable("invoice_numbers");
            b.HasKey(x => x.Year);
            b.Property(x => x.Year).ValueGeneratedNever();
            b.Property(x => x.Version).IsConcurrencyToken();
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseUtcDateTimes();
}

/// <summary>The last invoice number issued in a year: INV-2026-000042. Bumped under optimistic concurrency.</summary>
internal sealed class InvoiceNumberCounter
{
    public int Year { get; set; }
    public int Last { get; set; }
    public Guid Version { get; set; }
}
