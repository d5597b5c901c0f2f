using System.Security.Cryptography;
using System.Text;
using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Modules.Infrastructure.Outbox;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace ChaosModular.Accounts.Features;

/// <summary>
/// Forgot password, step 1: emails a link to set a new password when the address belongs to an account, and does
/// nothing otherwise. The page answers the same either way, so it cannot be used to find out who has an account.
/// </summary>
internal sealed class RequestPasswordReset(UserManager<PortalUser> users, AccountsDbContext db, TimeProvider clock)
{
    public async Task HandleAsync(string email, CancellationToken cancellationToken)
    {
        var user = await users.FindByEmailAsync(email.Trim());
        if (user is null)
        {
            return;
        }
        var token = await users.GeneratePasswordResetTokenAsync(user);
        var now = clock.GetUtcNow().UtcDateTime;
        db.Publish(new PasswordResetRequested(Guid.NewGuid(), now, user.Id, user.Email!, user.Name, token, now + PasswordResetTokens.Lifespan));
        await db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>
/// Forgot password, step 2: the emailed link sets a new password. Identity checks the token and renews the security
/// stamp, which makes the link single-use and signs every session out; the usual password-changed notice follows.
/// </summary>
internal sealed class ResetPassword(UserManager<PortalUser> users, AccountsDbContext db, TimeProvider clock)
{
    public const string InvalidLink = "This link has expired or was already used. Ask for a new one below.";

    public async Task<IReadOnlyList<string>> HandleAsync(string userId, string token, string newPassword, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId);
        if (user is null)
        {
            return [InvalidLink];
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await users.ResetPasswordAsync(user, token, newPassword);
        if (!result.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            return result.Errors.Select(e => e.Code == nameof(IdentityErrorDescriber.InvalidToken) ? InvalidLink : e.Description).ToList();
        }
        // A reset proves the mailbox: a locked-out account (too many wrong passwords) can sign in again at once.
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        db.Publish(new PasswordChanged(Guid.NewGuid(), clock.GetUtcNow().UtcDateTime, user.Id, user.Email!, user.Name));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return [];
    }

    /// <summary>True while the link can still be used: shown before the customer types a new password.</summary>
    public async Task<bool> IsValidAsync(string userId, string token)
    {
        var user = await users.FindByIdAsync(userId);
        return user is not null && await users.VerifyUserTokenAsync(user, users.Options.Tokens.PasswordResetTokenProvider, UserManager<PortalUser>.ResetPasswordTokenPurpose, token);
    }
}

/// <summary>Password-reset links: <see cref="TimedUserTokens"/> valid for an hour.</summary>
internal sealed class PasswordResetTokens(IDataProtectionProvider protection, TimeProvider clock)
    : TimedUserTokens(protection, clock, "ChaosModular.Accounts.PasswordReset", Lifespan)
{
    public const string Name = "PortalPasswordReset";
    public static readonly TimeSpan Lifespan = TimeSpan.FromHours(1);
}

/// <summary>
/// Emailed tokens: the creation time (from the injected clock, so tests can let a link expire), the user, the purpose and
/// the user's security stamp, protected by data protection and written URL-safe. A password change renews the stamp, so a
/// password-reset token works once; every token expires after its lifespan.
/// </summary>
internal abstract class TimedUserTokens(IDataProtectionProvider protection, TimeProvider clock, string protectorPurpose, TimeSpan lifespan)
    : IUserTwoFactorTokenProvider<PortalUser>
{
    private readonly IDataProtector _protector = protection.CreateProtector(protectorPurpose);

    public async Task<string> GenerateAsync(string purpose, UserManager<PortalUser> manager, PortalUser user)
    {
        var stamp = await manager.GetSecurityStampAsync(user);
        var payload = string.Join('\n', clock.GetUtcNow().UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture), user.Id, purpose, stamp);
        return WebEncoders.Base64UrlEncode(_protector.Protect(Encoding.UTF8.GetBytes(payload)));
    }

    public async Task<bool> ValidateAsync(string purpose, string token, UserManager<PortalUser> manager, PortalUser user)
    {
        string[] parts;
        try
        {
            parts = Encoding.UTF8.GetString(_protector.Unprotect(WebEncoders.Base64UrlDecode(token))).Split('\n');
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            return false;
        }
        if (parts.Length != 4 || !long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ticks)
            || ticks < 0 || ticks > DateTime.MaxValue.Ticks)
        {
            return false;
        }
        var expires = new DateTimeOffset(ticks, TimeSpan.Zero) + lifespan;
        return expires > clock.GetUtcNow()
            && string.Equals(parts[1], user.Id, StringComparison.Ordinal)
            && string.Equals(parts[2], purpose, StringComparison.Ordinal)
            && string.Equals(parts[3], await manager.GetSecurityStampAsync(user), StringComparison.Ordinal);
    }

    public Task<bool> CanGenerateTwoFactorTokenAsync(UserManager<PortalUser> manager, PortalUser user) => Task.FromResult(false);
}
