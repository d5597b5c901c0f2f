using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Modules.Infrastructure.Outbox;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;

namespace ChaosModular.Accounts.Features;

/// <summary>Links that confirm an account's email address: <see cref="TimedUserTokens"/> valid for three days.</summary>
internal sealed class EmailConfirmationTokens(IDataProtectionProvider protection, TimeProvider clock)
    : TimedUserTokens(protection, clock, "ChaosModular.Accounts.EmailConfirmation", Lifespan)
{
    public const string Name = "PortalEmailConfirmation";
    public static readonly TimeSpan Lifespan = TimeSpan.FromDays(3);

    /// <summary>The event that emails the link; published in the caller's transaction.</summary>
    public static async Task PublishAsync(UserManager<PortalUser> users, AccountsDbContext db, PortalUser user, DateTime now)
    {
        var token = await users.GenerateEmailConfirmationTokenAsync(user);
        db.Publish(new EmailConfirmationRequested(Guid.NewGuid(), now, user.Id, user.Email!, user.Name, token, now + Lifespan));
    }
}

/// <summary>The banner's "Send the link again": a fresh link to a signed-in account whose address is not confirmed yet.</summary>
internal sealed class ResendEmailConfirmation(UserManager<PortalUser> users, AccountsDbContext db, TimeProvider clock)
{
    public enum Outcome
    {
        Sent,
        AlreadyConfirmed,
    }

    public async Task<Outcome> HandleAsync(string userId, CancellationToken cancellationToken)
    {
        var user = await users.FindByIdAsync(userId) ?? throw new InvalidOperationException("The signed-in account no longer exists.");
        if (user.EmailConfirmed)
        {
            return Outcome.AlreadyConfirmed;
        }
        await EmailConfirmationTokens.PublishAsync(users, db, user, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome.Sent;
    }
}

/// <summary>
/// The emailed link: marks the address confirmed. Opening it again is fine (already confirmed); an expired, altered or
/// another account's link changes nothing. Signed-in sessions see the change on their next request (the session check
/// compares the confirmation with the cookie's claim).
/// </summary>
internal sealed class ConfirmEmail(UserManager<PortalUser> users)
{
    public enum Outcome
    {
        Confirmed,
        AlreadyConfirmed,
        InvalidLink,
    }

    public async Task<Outcome> HandleAsync(string userId, string token)
    {
        if (string.IsNullOrEmpty(userId) || string.IsNullOrEmpty(token) || await users.FindByIdAsync(userId) is not { } user)
        {
            return Outcome.InvalidLink;
        }
        if (user.EmailConfirmed)
        {
            return Outcome.AlreadyConfirmed;
        }
        var result = await users.ConfirmEmailAsync(user, token);
        return result.Succeeded ? Outcome.Confirmed : Outcome.InvalidLink;
    }
}
