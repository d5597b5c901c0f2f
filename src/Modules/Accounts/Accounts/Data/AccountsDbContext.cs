using ChaosModular.Modules.Infrastructure.Outbox;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace ChaosModular.Accounts.Data;

internal sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options)
    : IdentityDbContext<PortalUser>(options), IOutboxContext
{
    public const string Schema = "accounts";

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.HasDefaultSchema(Schema);
        builder.AddOutbox();
        builder.Entity<PortalUser>(u =>
        {
            u.Property(x => x.Name).HasMaxLength(200).IsRequired();
            u.Property(x => x.Country).HasMaxLength(2).IsRequired();
            u.Property(x => x.CustomerNumber).HasMaxLength(9).IsRequired();
            u.HasIndex(x => x.CustomerNumber).IsUnique();
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.UseUtcDateTimes();
}
