using ChaosModular.Modules.Infrastructure.Outbox;

namespace ChaosModular.Licensing.Data;

internal sealed class LicensingDbContext(DbContextOptions<LicensingDbContext> options) : DbContext(options), IOutboxContext
{
    public const string Schema = "licensing";

    public DbSet<License> Licenses => Set<License>();
    public DbSet<LicenseServer> Servers => Set<LicenseServer>();
    public DbSet<Lease> Leases => Set<Lease>();
    public DbSet<Borrow> Borrows => Set<Borrow>();
    public DbSet<FileActivation> FileActivations => Set<FileActivation>();
    public DbSet<ActivationCode> ActivationCodes => Set<ActivationCode>();
    public DbSet<Allocation> Allocations => Set<Allocation>();
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
            b.Ignore(x => x.CanBeServed);
            b.Ignore(x => x.CanBeBorrowed);
            // One license per subscription: a redelivered or racing event finds it instead of making another.
            b.HasIndex(x => x.SubscriptionId).IsUnique();
            // A key is never given twice (a collision of new keys retries with another).
            b.HasIndex(x => x.LicenseKey).IsUnique();   // nulls do not collide (SQL Server gets an IS NOT NULL filter)
            // The Licenses page: a customer's licenses by state and family.
            b.HasIndex(x => new { x.CustomerId, x.State, x.FamilyCode });
        });
        modelBuilder.Entity<LicenseServer>(b =>
        {
            b.ToTable("license_servers");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.Property(x => x.ServerKey).HasMaxLength(64).IsRequired();
            b.Property(x => x.Name).HasMaxLength(100).IsRequired();
            b.Property(x => x.Fingerprint).HasMaxLength(71).IsRequired();
            b.Property(x => x.Mode).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.SecretHash).HasMaxLength(64);
            b.Ignore(x => x.IsActive);
            // A host belongs to the account that first activated it: a racing activation from another account fails here.
            b.HasIndex(x => x.Fingerprint).IsUnique();
            b.HasIndex(x => x.CustomerId);
        });
        modelBuilder.Entity<Lease>(b =>
        {
            b.ToTable("leases");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.Property(x => x.Mode).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.EndReason).HasConversion<string>().HasMaxLength(24);
            b.Ignore(x => x.IsActive);
            b.HasOne<License>().WithMany().HasForeignKey(x => x.LicenseId).OnDelete(DeleteBehavior.Restrict);
            b.HasOne<LicenseServer>().WithMany().HasForeignKey(x => x.ServerId).OnDelete(DeleteBehavior.Restrict);
            // A server's leases (heartbeat), a license's seats (its page), and the lapse job's scan.
            b.HasIndex(x => new { x.ServerId, x.EndedUtc });
            b.HasIndex(x => new { x.LicenseId, x.EndedUtc });
            b.HasIndex(x => new { x.EndedUtc, x.ExpiresUtc });
        });
        modelBuilder.Entity<Borrow>(b =>
        {
            b.ToTable("borrows");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.Property(x => x.Machine).HasMaxLength(100).IsRequired();
            b.Property(x => x.EndReason).HasConversion<string>().HasMaxLength(24);
            b.Property(x => x.File).IsRequired();
            b.Ignore(x => x.IsActive);
            b.HasOne<License>().WithMany().HasForeignKey(x => x.LicenseId).OnDelete(DeleteBehavior.Restrict);
            b.HasIndex(x => new { x.CustomerId, x.EndedUtc });
            b.HasIndex(x => new { x.LicenseId, x.EndedUtc });
            b.HasIndex(x => new { x.EndedUtc, x.ReturnByUtc });
        });
        modelBuilder.Entity<FileActivation>(b =>
        {
            b.ToTable("file_activations");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.Property(x => x.Nonce).HasMaxLength(100).IsRequired();
            b.Property(x => x.KeyId).HasMaxLength(64).IsRequired();
            b.Property(x => x.Response).IsRequired();
            b.HasOne<LicenseServer>().WithMany().HasForeignKey(x => x.ServerId).OnDelete(DeleteBehavior.Restrict);
            // A request file is accepted once: its replay (or a racing double upload) fails here.
            b.HasIndex(x => x.Nonce).IsUnique();
            b.HasIndex(x => x.ServerId);
        });
        modelBuilder.Entity<Allocation>(b =>
        {
            b.ToTable("allocations");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.Property(x => x.UserId).HasMaxLength(64).IsRequired();
            b.Property(x => x.CreatedBy).HasMaxLength(64).IsRequired();
            b.Property(x => x.EndReason).HasConversion<string>().HasMaxLength(24);
            b.Ignore(x => x.IsActive);
            b.HasOne<License>().WithMany().HasForeignKey(x => x.LicenseId).OnDelete(DeleteBehavior.Restrict);
            // The organization's pages (its account's allocations, by user), what a user holds, a license's seats, the lapse job.
            b.HasIndex(x => new { x.CustomerId, x.EndedUtc, x.UserId });
            b.HasIndex(x => new { x.UserId, x.EndedUtc });
            b.HasIndex(x => new { x.LicenseId, x.EndedUtc });
            b.HasIndex(x => new { x.EndedUtc, x.ExpiresOn });
        });
        modelBuilder.Entity<ActivationCode>(b =>
        {
            b.ToTable("activation_codes");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.CustomerId).HasMaxLength(64).IsRequired();
            b.Property(x => x.CodeHash).HasMaxLength(64).IsRequired();
            b.HasIndex(x => x.CodeHash).IsUnique();
            b.HasIndex(x => x.CustomerId);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseUtcDateTimes();
}
