namespace ChaosModular.Organizations.Contracts;

/// <summary>Organizations' addresses for links from other modules and from emails; a test resolves each against the app.</summary>
public static class OrganizationsRoutes
{
    /// <summary>The Organization menu: what an organization's administrators manage.</summary>
    public const string Organization = "/organization";

    /// <summary>Organization › Audit log: what administrators and support did, with filters and a CSV export.</summary>
    public const string AuditLog = "/organization/audit";

    /// <summary>Support › Organizations: find an account, set up its organization, list them all.</summary>
    public const string SupportOrganizations = "/support/organizations";

    /// <summary>Support's page of one organization: its administrators, appointed and removed there.</summary>
    public static string SupportOrganization(Guid organizationId) => $"/support/organizations/{organizationId}";
}
