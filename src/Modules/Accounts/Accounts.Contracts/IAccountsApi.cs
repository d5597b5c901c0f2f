namespace ChaosModular.Accounts.Contracts;

/// <summary>What other modules may ask Accounts.</summary>
public interface IAccountsApi
{
    Task<CustomerSummary?> FindCustomerAsync(string userId, CancellationToken cancellationToken);

    Task<CustomerSummary?> FindCustomerByEmailAsync(string email, CancellationToken cancellationToken);

    /// <summary>The account with this customer number (surrounding spaces ignored), or null.</summary>
    Task<CustomerSummary?> FindCustomerByNumberAsync(string customerNumber, CancellationToken cancellationToken);
    /// <summary>The customers among <paramref name="userIds"/> in one query (a page of a list names its rows at once); unknown ids are left out.</summary>
    Task<IReadOnlyList<CustomerSummary>> FindCustomersAsync(IReadOnlyCollection<string> userIds, CancellationToken cancellationToken);

    /// <summary>
    /// The customers with these emails (case and surrounding spaces ignored) in one query per thousand, as an uploaded
    /// list of people is checked at once; unknown emails are left out.
    /// </summary>
    Task<IReadOnlyList<CustomerSummary>> FindCustomersByEmailsAsync(IReadOnlyCollection<string> emails, CancellationToken cancellationToken);
}

public sealed record CustomerSummary(string UserId, string CustomerNumber, string Name, string Email, string Country);

/// <summary>Role names, stored by Accounts and checked by every module.</summary>
public static class PortalRoles
{
    public const string Support = "Support";
    public const string OrganizationAdministrator = "OrganizationAdministrator";
}

/// <summary>Authorization policy names registered by Accounts.</summary>
public static class PortalPolicies
{
    public const string Support = "Support";
    public const string OrganizationAdministrator = "OrganizationAdministrator";
}
