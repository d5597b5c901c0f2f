namespace ChaosModular.Organizations.Contracts;

/// <summary>Organization › Cloud credits: the administrators' pages over the organization's credit pool; a test resolves each against the app.</summary>
public static class OrganizationCreditsRoutes
{
    /// <summary>The pool (available, used) and each user's allocation and use.</summary>
    public const string Credits = "/organization/credits";

    /// <summary>Allocate, change or revoke for the users named by their membership ids in the query.</summary>
    public const string Allocate = "/organization/credits/allocate";

    public static string AllocateTo(Guid membershipId) => $"{Allocate}?ids={membershipId}";
}
