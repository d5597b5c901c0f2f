namespace ChaosModular.Organizations.Contracts;

/// <summary>Organization › Users: the addresses of the administrators' user pages and of the invitation link; a test resolves each against the app.</summary>
public static class OrganizationUsersRoutes
{
    /// <summary>Everyone in the organization and every open invitation.</summary>
    public const string Users = "/organization";

    public const string Invite = "/organization/invite";

    /// <summary>The confirm step of removing users (their membership ids in the query).</summary>
    public const string Remove = "/organization/remove";

    public static string RemoveUser(Guid membershipId) => $"/organization/remove?ids={membershipId}";

    /// <summary>The link an invitee gets by email: the token is the only proof, so it is never logged or stored in clear.</summary>
    public static string Invitation(string token) => $"/organization/invitations/{Uri.EscapeDataString(token)}";

    /// <summary>Invite users › Bulk: the template, the upload of an email,role file.</summary>
    public const string InviteBulk = "/organization/invite/bulk";

    public const string InviteTemplate = "/organization/invite/bulk/template";

    /// <summary>The organization's bulk invites, newest first, each with its status page.</summary>
    public const string BulkInvites = "/organization/bulk-invites";

    /// <summary>A bulk invite's status page (progress, counts, per-row results); the report email links here.</summary>
    public static string BulkInvite(Guid bulkInviteId) => $"/organization/bulk-invites/{bulkInviteId}";

    /// <summary>Its review page: every row's state, role changes, Send invites.</summary>
    public static string BulkInviteReview(Guid bulkInviteId) => $"/organization/bulk-invites/{bulkInviteId}/review";

    /// <summary>Its per-row results as CSV.</summary>
    public static string BulkInviteResults(Guid bulkInviteId) => $"/organization/bulk-invites/{bulkInviteId}/results.csv";

    /// <summary>Remove users › Via .csv: upload a file of emails, review who goes, remove them.</summary>
    public const string RemoveCsv = "/organization/remove/csv";
}
