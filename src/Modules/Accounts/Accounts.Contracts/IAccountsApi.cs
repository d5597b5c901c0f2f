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

public sealed record CustomerSummary(string UserId, string CustomerNumber, string Name, string Email, string Country)
{
    /// <summary>The owner opened the confirmation link we emailed (accounts older than confirmation count as confirmed).</summary>
    public bool EmailConfirmed { get; init; }
}

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

    /// <summary>
    /// A signed-in account whose email address is confirmed: paying, inviting and accepting an invitation need it. Without it
    /// the account is sent to <see cref="AccountsRoutes.EmailConfirmationNeeded"/>, which offers to resend the link.
    /// </summary>
    public const string ConfirmedEmail = "ConfirmedEmail";
}

/// <summary>Claims Accounts puts in the sign-in cookie.</summary>
public static class PortalClaims
{
    /// <summary>Present (value "true") when the account's email address is confirmed.</summary>
    public const string EmailConfirmed = "chaos:email_confirmed";
}

/// <summary>
/// The people of the demo organization (with <c>Seed:Demo</c>): Accounts registers them, Organizations puts them in
/// "Demo Studio". Only the demo member signs in (its password is in the README); the others have random passwords.
/// </summary>
public static class DemoPeople
{
    public const string MemberEmail = "member@chaosmodular.local";

    public static readonly IReadOnlyList<(string Name, string Email)> Members =
        [("Mila Member", "mila.member@chaosmodular.local"), ("Max Member", "max.member@chaosmodular.local")];

    public static readonly IReadOnlyList<(string Name, string Email)> Guests =
        [("Gina Guest", "gina.guest@chaosmodular.local"), ("Gus Guest", "gus.guest@chaosmodular.local")];

    /// <summary>Invited by the demo organization's finished bulk invite.</summary>
    public static readonly (string Name, string Email) BulkInvited = ("Nora Newcomer", "nora.newcomer@chaosmodular.local");

    /// <summary>Invited to the demo organization, not yet answered.</summary>
    public static readonly (string Name, string Email) Invited = ("Ivy Invited", "ivy.invited@chaosmodular.local");
}
