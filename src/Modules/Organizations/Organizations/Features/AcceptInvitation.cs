namespace ChaosModular.Organizations.Features;

/// <summary>
/// The invitee opens the link and accepts: the account joins the organization with the invited role, if the
/// invitation is still pending and unexpired and the account belongs to no organization. The link works only for
/// the account it was sent to (anyone else: not found). Accepting twice says it is already done; two racing
/// accepts (or a racing invitation elsewhere) meet the unique index on the membership's account.
/// </summary>
internal sealed class AcceptInvitation(OrganizationsDbContext db, OrganizationAudit audit, TimeProvider clock)
{
    public enum State
    {
        Pending,
        Expired,
        Cancelled,
        Accepted,
    }

    public sealed record View(string OrganizationName, OrganizationRole Role, string Email, State State, DateTime ExpiresUtc);

    public enum Outcome
    {
        NotFound,
        Joined,
        AlreadyMember,
        Expired,
        Cancelled,
        InAnotherOrganization,
    }

    public sealed record Result(Outcome Outcome, string? OrganizationName);

    /// <summary>Null when the token is unknown or the invitation is someone else's.</summary>
    public async Task<View?> ShowAsync(string accountId, string token, CancellationToken cancellationToken)
    {
        if (await FindAsync(accountId, token, tracked: false, cancellationToken) is not { } invitation)
        {
            return null;
        }
        var name = await db.Organizations.Where(o => o.Id == invitation.OrganizationId).Select(o => o.Name).SingleAsync(cancellationToken);
        return new View(name, invitation.Role, invitation.Email, StateOf(invitation), invitation.ExpiresUtc);
    }

    public async Task<Result> HandleAsync(string accountId, string token, CancellationToken cancellationToken)
    {
        if (await FindAsync(accountId, token, tracked: true, cancellationToken) is not { } invitation)
        {
            return new Result(Outcome.NotFound, null);
        }
        var name = await db.Organizations.Where(o => o.Id == invitation.OrganizationId).Select(o => o.Name).SingleAsync(cancellationToken);
        var membership = await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.AccountId == accountId, cancellationToken);
        switch (StateOf(invitation))
        {
            case State.Accepted:
                return new Result(membership?.OrganizationId == invitation.OrganizationId ? Outcome.AlreadyMember : Outcome.NotFound, name);
            case State.Cancelled:
                return new Result(Outcome.Cancelled, name);
            case State.Expired:
                return new Result(Outcome.Expired, name);
        }
        if (membership is not null)
        {
            return new Result(membership.OrganizationId == invitation.OrganizationId ? Outcome.AlreadyMember : Outcome.InAnotherOrganization, name);
        }
        var now = clock.UtcNow();
        invitation.Accept(now);
        db.Memberships.Add(Membership.Join(invitation.OrganizationId, accountId, invitation.Email, invitation.Role, now));
        audit.Record(invitation.OrganizationId, AuditAction.InvitationAccepted, [invitation.Email], after: invitation.Role.ToString());
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex is not DbUpdateConcurrencyException)
        {
            // The unique index on the account: a concurrent accept (this or another organization's) got there first.
            db.ChangeTracker.Clear();
            var joined = await db.Memberships.AsNoTracking().SingleOrDefaultAsync(m => m.AccountId == accountId, cancellationToken);
            return new Result(joined?.OrganizationId == invitation.OrganizationId ? Outcome.AlreadyMember : Outcome.InAnotherOrganization, name);
        }
        return new Result(Outcome.Joined, name);
    }

    private State StateOf(Invitation invitation) => invitation.Status switch
    {
        InvitationStatus.Accepted => State.Accepted,
        InvitationStatus.Cancelled => State.Cancelled,
        _ => invitation.IsExpiredAt(clock.UtcNow()) ? State.Expired : State.Pending,
    };

    private async Task<Invitation?> FindAsync(string accountId, string token, bool tracked, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(accountId) || string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return null;
        }
        var hash = InvitationTokens.Hash(token);
        var invitations = tracked ? db.Invitations : db.Invitations.AsNoTracking();
        var invitation = await invitations.SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
        return invitation is not null && invitation.AccountId == accountId ? invitation : null;
    }
}
