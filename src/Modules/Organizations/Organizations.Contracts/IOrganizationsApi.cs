namespace ChaosModular.Organizations.Contracts;

/// <summary>A user's place in an organization (an account belongs to at most one).</summary>
public enum OrganizationRole
{
    /// <summary>Manages the organization's users, licenses and cloud credits.</summary>
    Administrator,

    /// <summary>Uses only what the administrators allocate to them.</summary>
    Member,

    /// <summary>Keeps personal products and credits and uses the organization's allocations as well.</summary>
    Guest,
}

/// <summary>What other modules (and the layout's menu) may ask Organizations.</summary>
public interface IOrganizationsApi
{
    /// <summary>The organization the account belongs to and its role there; null when it belongs to none.</summary>
    Task<MembershipSummary?> MembershipAsync(string userId, CancellationToken cancellationToken);
}

/// <param name="OrganizationAccountId">The customer account the organization was set up for: its licenses and credits are allocated.</param>
public sealed record MembershipSummary(Guid OrganizationId, string OrganizationName, OrganizationRole Role, string OrganizationAccountId);
