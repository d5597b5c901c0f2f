using ChaosModular.Modules.Abstractions.Outbox;
using ChaosModular.Modules.Abstractions.Persistence;
using ChaosModular.Notifications.Domain;
using Microsoft.EntityFrameworkCore;

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
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseUtcDateTimes();
}
