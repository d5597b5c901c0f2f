using ChaosModular.Accounts.Contracts;
using ChaosModular.Notifications.Contracts;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// An administrator invites one registered account as member or guest: an <see cref="Invitation"/> with a fresh
/// link token and an email to the invitee. Addresses without a Chaos account get a message and no email;
/// accounts whose email is not confirmed yet, people already in this or another organization, or already invited, are told so.
/// </summary>
internal sealed class InviteUser(OrganizationsDbContext db, OrganizationAdministrators administrators, IAccountsApi accounts, InvitationEmails emails, OrganizationAudit audit, TimeProvider clock)
{
    public enum Outcome
    {
        NotFound,
        Invited,
        NotRegistered,
        NotInvitable,
        AlreadyMember,
        InAnotherOrganization,
        AlreadyInvited,

        /// <summary>The account has not confirmed its email address: it cannot be invited until it does.</summary>
        EmailNotConfirmed,
    }

    public sealed record Result(Outcome Outcome, string Email);

    public async Task<Result> HandleAsync(string administratorId, string email, OrganizationRole role, CancellationToken cancellationToken)
    {
        email = email.Trim();
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return new Result(Outcome.NotFound, email);
        }
        if (role == OrganizationRole.Administrator)
        {
            return new Result(Outcome.NotInvitable, email);
        }
        if (await accounts.FindCustomerByEmailAsync(email, cancellationToken) is not { } invitee)
        {
            return new Result(Outcome.NotRegistered, email);
        }
        if (!invitee.EmailConfirmed)
        {
            return new Result(Outcome.EmailNotConfirmed, invitee.Email);
        }
        var membership = await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.AccountId == invitee.UserId, cancellationToken);
        if (membership is not null)
        {
            return new Result(membership.OrganizationId == organization.Id ? Outcome.AlreadyMember : Outcome.InAnotherOrganization, invitee.Email);
        }
        var now = clock.UtcNow();
        var open = await db.Invitations
            .Where(i => i.OrganizationId == organization.Id && i.AccountId == invitee.UserId && i.Status == InvitationStatus.Pending)
            .ToListAsync(cancellationToken);
        if (open.Any(i => !i.IsExpiredAt(now)))
        {
            return new Result(Outcome.AlreadyInvited, invitee.Email);
        }
        // An expired invitation gives way to the new one, which may carry another role.
        foreach (var expired in open)
        {
            expired.Cancel(now);
        }
        var (token, hash) = InvitationTokens.New();
        var invitation = Invitation.Send(organization.Id, invitee.UserId, invitee.Email, role, administratorId, hash, now);
        db.Invitations.Add(invitation);
        audit.Record(organization.Id, AuditAction.UserInvited, [invitee.Email], after: role.ToString());
        await db.SaveChangesAsync(cancellationToken);
        await emails.SendAsync(invitation, organization.Name, invitee.Name, token, cancellationToken);
        return new Result(Outcome.Invited, invitee.Email);
    }
}

/// <summary>The invitation email, once per link: a resend makes a new token and so a new email.</summary>
internal sealed class InvitationEmails(INotificationsApi notifications)
{
    public Task SendAsync(Invitation invitation, string organizationName, string inviteeName, string token, CancellationToken cancellationToken) =>
        notifications.QueueEmailAsync(Email(invitation, organizationName, inviteeName, token), cancellationToken);

    /// <summary>A bulk invite's batch of invitations, queued in one call.</summary>
    public Task SendAsync(IEnumerable<(Invitation Invitation, string InviteeName, string Token)> invitations, string organizationName, CancellationToken cancellationToken) =>
        notifications.QueueEmailsAsync([.. invitations.Select(i => Email(i.Invitation, organizationName, i.InviteeName, i.Token))], cancellationToken);

    private static OrganizationInvitationEmail Email(Invitation invitation, string organizationName, string inviteeName, string token) => new(
        $"organization-invitation:{invitation.Id:N}:{invitation.TokenHash[..16]}", invitation.Email, inviteeName,
        organizationName, invitation.Role.ToString(), token, invitation.ExpiresUtc);
}
