using ChaosModular.Accounts.Contracts;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// Resend (a new link, seven more days, a new email; the old link stops working) or cancel an open invitation
/// of the administrator's organization. Invitations of other organizations are not found.
/// </summary>
internal sealed class ManageInvitation(OrganizationsDbContext db, OrganizationAdministrators administrators, IAccountsApi accounts, InvitationEmails emails, OrganizationAudit audit, TimeProvider clock)
{
    public enum Outcome
    {
        NotFound,
        Resent,
        Cancelled,
        AlreadyAnswered,
    }

    public sealed record Result(Outcome Outcome, string? Email);

    public async Task<Result> ResendAsync(string administratorId, Guid invitationId, CancellationToken cancellationToken)
    {
        if (await FindAsync(administratorId, invitationId, cancellationToken) is not ({ } organization, { } invitation))
        {
            return new Result(Outcome.NotFound, null);
        }
        if (invitation.Status != InvitationStatus.Pending)
        {
            return new Result(Outcome.AlreadyAnswered, invitation.Email);
        }
        var (token, hash) = InvitationTokens.New();
        var expiredBefore = invitation.ExpiresUtc;
        invitation.Resend(hash, clock.UtcNow());
        audit.Record(invitation.OrganizationId, AuditAction.InvitationResent, [invitation.Email],
            before: $"expires {expiredBefore:yyyy-MM-dd HH:mm} UTC", after: $"expires {invitation.ExpiresUtc:yyyy-MM-dd HH:mm} UTC");
        await db.SaveChangesAsync(cancellationToken);
        var name = (await accounts.FindCustomerAsync(invitation.AccountId, cancellationToken))?.Name ?? invitation.Email;
        await emails.SendAsync(invitation, organization.Name, name, token, cancellationToken);
        return new Result(Outcome.Resent, invitation.Email);
    }

    public async Task<Result> CancelAsync(string administratorId, Guid invitationId, CancellationToken cancellationToken)
    {
        if (await FindAsync(administratorId, invitationId, cancellationToken) is not (_, { } invitation))
        {
            return new Result(Outcome.NotFound, null);
        }
        if (invitation.Status != InvitationStatus.Pending)
        {
            return new Result(Outcome.AlreadyAnswered, invitation.Email);
        }
        invitation.Cancel(clock.UtcNow());
        audit.Record(invitation.OrganizationId, AuditAction.InvitationCancelled, [invitation.Email], before: nameof(InvitationStatus.Pending), after: nameof(InvitationStatus.Cancelled));
        await db.SaveChangesAsync(cancellationToken);
        return new Result(Outcome.Cancelled, invitation.Email);
    }

    private async Task<(AdministeredOrganization? Organization, Invitation? Invitation)> FindAsync(string administratorId, Guid invitationId, CancellationToken cancellationToken)
    {
        if (await administrators.FindAsync(administratorId, cancellationToken) is not { } organization)
        {
            return (null, null);
        }
        var invitation = await db.Invitations.SingleOrDefaultAsync(i => i.Id == invitationId && i.OrganizationId == organization.Id, cancellationToken);
        return (organization, invitation);
    }
}
