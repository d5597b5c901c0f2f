using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Modules.Infrastructure.Outbox;
using Microsoft.AspNetCore.Identity;

namespace ChaosModular.Accounts.Features;

/// <summary>
/// Changes the password (current one required, policy enforced). Identity renews the security stamp,
/// which signs out every other session; the notice email is published in the same transaction.
/// </summary>
internal sealed class ChangePassword(UserManager<PortalUser> users, AccountsDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<string>> HandleAsync(PortalUser user, string currentPassword, string newPassword, CancellationToken cancellationToken)
    {
        if (currentPassword == newPassword)
        {
            return ["The new password must differ from the current one."];
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await users.ChangePasswordAsync(user, currentPassword, newPassword);
        if (!result.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            return result.Errors.Select(e => e.Code == "PasswordMismatch" ? "The current password is not correct." : e.Description).ToList();
        }
        db.Publish(new PasswordChanged(Guid.NewGuid(), clock.GetUtcNow().UtcDateTime, user.Id, user.Email!, user.Name));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return [];
    }
}
