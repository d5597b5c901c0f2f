using ChaosModular.Modules.Infrastructure.Outbox;

namespace ChaosModular.Organizations.Data;

internal sealed class OrganizationsDbContext(DbContextOptions<OrganizationsDbContext> options) : DbContext(options), IOutboxContext
{
    public const string Schema = "organizations";

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<Invitation> Invitations => Set<Invitation>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.Entity<Organization>(b =>
        {
            b.ToTable("organizations");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.Name).HasMaxLength(200).IsRequired();
            b.Property(x => x.AccountId).HasMaxLength(64).IsRequired();
            b.HasIndex(x => x.AccountId);
            b.Property(x => x.CreatedBy).HasMaxLength(64).IsRequired();
        });
        modelBuilder.Entity<Membership>(b =>
        {
            b.ToTable("memberships");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.AccountId).HasMaxLength(64).IsRequired();
            b.Property(x => x.Email).HasMaxLength(256).IsRequired();
            b.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
            b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            // One organization per account, as administrator, member or guest: the database holds it, whatever races.
            b.HasIndex(x => x.AccountId).IsUnique();
            b.HasIndex(x => new { x.OrganizationId, x.Role });
        });
        modelBuilder.Entity<Invitation>(b =>
        {
            b.ToTable("invitations");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.AccountId).HasMaxLength(64).IsRequired();
            b.Property(x => x.Email).HasMaxLength(256).IsRequired();
            b.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.InvitedBy).HasMaxLength(64).IsRequired();
            b.Property(x => x.TokenHash).HasMaxLength(64).IsRequired();
            b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            b.HasIndex(x => x.TokenHash).IsUnique();
            b.HasIndex(x => new { x.OrganizationId, x.Status });
            b.HasIndex(x => new { x.AccountId, x.Status });
        });
        modelBuilder.Entity<AuditEntry>(b =>
        {
            b.ToTable("audit_entries");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.ActorAccountId).HasMaxLength(64).IsRequired();
            b.Property(x => x.ActorEmail).HasMaxLength(256).IsRequired();
            b.Property(x => x.Action).HasConversion<string>().HasMaxLength(40);
            b.Property(x => x.Subjects).HasMaxLength(16000).IsRequired();
            b.Property(x => x.Before).HasMaxLength(1000);
            b.Property(x => x.After).HasMaxLength(1000);
            b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            b.HasIndex(x => new { x.OrganizationId, x.AtUtc });
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseUtcDateTimes();
}
