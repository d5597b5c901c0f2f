using ChaosModular.Accounts.Contracts;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Organizations.Contracts.Events;

namespace ChaosModular.Organizations.Features;

/// <summary>
/// Support sets up an account's organization: the organization and the account as its first administrator, saved
/// together with the event that emails them. An account already in an organization is refused; the unique index on
/// <see cref="Membership.AccountId"/> settles a race between two set-ups (or a set-up and an appointment).
/// </summary>
internal sealed class SetUpOrganization(OrganizationsDbContext db, IAccountsApi accounts, OrganizationAudit audit, TimeProvider clock)
{
    public const int NameMinLength = 2;
    public const int NameMaxLength = 200;

    public enum Outcome
    {
        SetUp,
        UnknownAccount,
        InvalidName,
        AlreadyInOrganization,
    }

    public sealed record Result(Outcome Outcome, Guid OrganizationId = default);

    public async Task<Result> HandleAsync(string accountId, string name, string supportUserId, CancellationToken cancellationToken)
    {
        var trimmed = name.Trim();
        if (trimmed.Length is < NameMinLength or > NameMaxLength)
        {
            return new Result(Outcome.InvalidName);
        }
        if (await accounts.FindCustomerAsync(accountId, cancellationToken) is not { } account)
        {
            return new Result(Outcome.UnknownAccount);
        }
        if (await db.Memberships.AnyAsync(m => m.AccountId == account.UserId, cancellationToken))
        {
            return new Result(Outcome.AlreadyInOrganization);
        }
        var now = clock.UtcNow();
        var organization = Organization.SetUp(account.UserId, trimmed, supportUserId, now);
        var administrator = Membership.Join(organization.Id, account.UserId, account.Email, OrganizationRole.Administrator, now);
        db.Organizations.Add(organization);
        db.Memberships.Add(administrator);
        db.Publish(AdministratorAppointed.Event(organization.Id, organization.Name, administrator, account, now));
        audit.Record(organization.Id, AuditAction.OrganizationSetUp, [account.Email], after: organization.Name);
        return await db.TryInsertOnceAsync(cancellationToken)
            ? new Result(Outcome.SetUp, organization.Id)
            : new Result(Outcome.AlreadyInOrganization);
    }
}

/// <summary>An account support looked up, and the organization it already belongs to (null: none).</summary>
internal sealed record FoundAccount(CustomerSummary Account, MembershipSummary? Membership);

/// <summary>Support types a customer number or an email: an address has an @, a number never does.</summary>
internal sealed class FindAccount(IAccountsApi accounts, IOrganizationsApi organizations)
{
    public async Task<FoundAccount?> HandleAsync(string? customerNumberOrEmail, CancellationToken cancellationToken)
    {
        if (await AccountAsync(customerNumberOrEmail, cancellationToken) is not { } account)
        {
            return null;
        }
        return new FoundAccount(account, await organizations.MembershipAsync(account.UserId, cancellationToken));
    }

    public Task<CustomerSummary?> AccountAsync(string? customerNumberOrEmail, CancellationToken cancellationToken)
    {
        var query = customerNumberOrEmail?.Trim() ?? "";
        return query.Length == 0 ? Task.FromResult<CustomerSummary?>(null)
            : query.Contains('@', StringComparison.Ordinal) ? accounts.FindCustomerByEmailAsync(query, cancellationToken)
            : accounts.FindCustomerByNumberAsync(query, cancellationToken);
    }
}

internal static class AdministratorAppointed
{
    /// <summary>The message support sees when the account is in an organization already (or a race just put it in one).</summary>
    public const string AlreadyInOrganization = "This account already belongs to an organization. An account belongs to at most one organization.";

    public static OrganizationAdministratorAppointed Event(Guid organizationId, string organizationName, Membership administrator, CustomerSummary account, DateTime utcNow) =>
        new(Guid.NewGuid(), utcNow, organizationId, organizationName, administrator.Id, account.UserId, account.Email, account.Name);
}
