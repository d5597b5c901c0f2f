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
}
