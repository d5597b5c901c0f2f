using ChaosModular.Modules.Infrastructure.Outbox;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace ChaosModular.Accounts.Data;

internal sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options)
    : IdentityDbContext<PortalUser>(options), IOutboxContext, IDataProtectionKeyContext
{
    public const string Schema = "accounts";

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    /// <summary>The key ring every Web and Worker instance shares (cookies, antiforgery tokens, reset tokens).</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

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
