using ChaosModular.Modules.Infrastructure.Outbox;

namespace ChaosModular.Notifications.Data;

internal sealed class NotificationsDbContext(DbContextOptions<NotificationsDbContext> options) : DbContext(options), IOutboxContext
{
    public const string Schema = "notifications";

    public DbSet<Email> Emails => Set<Email>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.AddOutbox();
        modelBuilder.Entity<Email>(e =>
        {
            e.ToTable("emails");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.SourceKey).HasMaxLength(300).IsRequired();
            e.HasIndex(x => x.SourceKey).IsUnique();
            e.Property(x => x.ToAddress).HasMaxLength(256).IsRequired();
            e.Property(x => x.ToName).HasMaxLength(200).IsRequired();
            e.Property(x => x.Template).HasMaxLength(100).IsRequired();
            e.Property(x => x.ModelJson).IsRequired();
            e.Property(x => x.LastError).HasMaxLength(2000);
            e.HasIndex(x => new { x.SentUtc, x.Attempts });
            e.HasMany(x => x.Attachments).WithOne().HasForeignKey(a => a.EmailId).OnDelete(DeleteBehavior.Cascade);
            e.Navigation(x => x.Attachments).HasField("_attachments").UsePropertyAccessMode(PropertyAccessMode.Field);
        });
        modelBuilder.Entity<StoredAttachment>(a =>
        {
            a.ToTable("email_attachments");
            a.HasKey(x => x.Id);
            a.Property(x => x.Id).ValueGeneratedNever();
            a.Property(x => x.FileName).HasMaxLength(200).IsRequired();
            a.Property(x => x.ContentType).HasMaxLength(100).IsRequired();
            a.Property(x => x.Content).IsRequired();
            a.Property(x => x.Renderer).HasMaxLength(64);
            a.Property(x => x.Reference).HasMaxLength(200);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseUtcDateTimes();
}
