using ChaosModular.Accounts.Contracts;
using ChaosModular.Organizations.Contracts;

namespace ChaosModular.CloudCredits.Features;

/// <summary>A user as credits see them: their organization (if any), their role there and, for a guest, the pool chosen.</summary>
internal sealed record CreditUser(string UserId, string? Email, PoolRole Role, Guid? OrganizationId, string? OrganizationName, string? OrganizationAccountId, CreditPool? GuestChoice)
{
    public CreditPool ActivePool => Domain.ActivePool.For(Role, GuestChoice);

    /// <summary>The account whose grants the active pool is.</summary>
    public string PoolAccountId => ActivePool == CreditPool.Organization ? OrganizationAccountId! : UserId;
}

/// <summary>Finds the user a service names (a user id or an email) and where their credits come from.</summary>
internal sealed class CreditUsers(CloudCreditsDbContext db, IAccountsApi accounts, IOrganizationsApi organizations)
{
    /// <summary>Null when no account has this id or email.</summary>
    public async Task<CreditUser?> FindAsync(string account, CancellationToken cancellationToken)
    {
        var customer = account.Contains('@', StringComparison.Ordinal)
            ? await accounts.FindCustomerByEmailAsync(account, cancellationToken)
            : await accounts.FindCustomerAsync(account, cancellationToken);
        return customer is null ? null : await OfAsync(customer.UserId, customer.Email, cancellationToken);
    }

    /// <param name="email">For messages about the user; null when none will be written.</param>
    public async Task<CreditUser> OfAsync(string userId, string? email, CancellationToken cancellationToken)
    {
        var membership = await organizations.MembershipAsync(userId, cancellationToken);
        var role = membership?.Role switch
        {
            OrganizationRole.Member => PoolRole.Member,
            OrganizationRole.Guest => PoolRole.Guest,
            OrganizationRole.Administrator => PoolRole.Administrator,
            _ => PoolRole.None,
        };
        CreditPool? choice = role == PoolRole.Guest
            ? await db.PoolChoices.AsNoTracking().Where(c => c.UserId == userId).Select(c => (CreditPool?)c.Pool).SingleOrDefaultAsync(cancellationToken)
            : null;
        return new CreditUser(userId, email, role, membership?.OrganizationId, membership?.OrganizationName, membership?.OrganizationAccountId, choice);
    }
}
