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
    public DbSet<BulkInvite> BulkInvites => Set<BulkInvite>();
    public DbSet<BulkInviteRow> BulkInviteRows => Set<BulkInviteRow>();

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
            b.HasIndex(x => new { x.OrganizationId, x.Email, x.Id });
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
            b.HasIndex(x => new { x.OrganizationId, x.Status, x.Email, x.Id });
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
        modelBuilder.Entity<BulkInvite>(b =>
        {
            b.ToTable("bulk_invites");
            b.HasKey(x => x.Id);
            b.Property(x => x.Id).ValueGeneratedNever();
            b.Property(x => x.UploadedBy).HasMaxLength(64).IsRequired();
            b.Property(x => x.UploadedByEmail).HasMaxLength(256).IsRequired();
            b.Property(x => x.FileName).HasMaxLength(200).IsRequired();
            b.Property(x => x.Status).HasConversion<string>().HasMaxLength(16);
            b.HasOne<Organization>().WithMany().HasForeignKey(x => x.OrganizationId).OnDelete(DeleteBehavior.Restrict);
            b.HasIndex(x => new { x.OrganizationId, x.UploadedUtc });
            b.HasIndex(x => x.Status);
        });
        modelBuilder.Entity<BulkInviteRow>(b =>
        {
            b.ToTable("bulk_invite_rows");
            b.HasKey(x => new { x.BulkInviteId, x.Line });
            b.Property(x => x.Line).ValueGeneratedNever();
            b.Property(x => x.Email).HasMaxLength(BulkInviteRow.MaxEmailLength).IsRequired();
            b.Property(x => x.EmailKey).HasMaxLength(BulkInviteRow.MaxEmailLength).IsRequired();
            b.Property(x => x.RoleText).HasMaxLength(BulkInviteRow.MaxRoleLength).IsRequired();
            b.Property(x => x.Role).HasConversion<string>().HasMaxLength(16);
            b.Property(x => x.State).HasConversion<string>().HasMaxLength(24);
            b.Property(x => x.AccountId).HasMaxLength(64);
            // The claim: a row's result is written only where none was, so two runs of the job never both invite it.
            b.Property(x => x.Outcome).HasConversion<string>().HasMaxLength(24).IsConcurrencyToken();
            b.Property(x => x.PendingToken).HasMaxLength(64);
            b.HasOne<BulkInvite>().WithMany().HasForeignKey(x => x.BulkInviteId).OnDelete(DeleteBehavior.Cascade);
            b.HasIndex(x => new { x.BulkInviteId, x.State });
            b.HasIndex(x => new { x.BulkInviteId, x.EmailKey });
            b.HasIndex(x => new { x.BulkInviteId, x.Outcome });
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseUtcDateTimes();
}
