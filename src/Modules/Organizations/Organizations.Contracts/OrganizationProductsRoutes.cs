namespace ChaosModular.Organizations.Contracts;

/// <summary>Organization › Products: the organization's licenses and their allocation to users; a test resolves each against the app.</summary>
public static class OrganizationProductsRoutes
{
    /// <summary>The organization account's licenses (quantity, allocated, free, expiry) and who holds them.</summary>
    public const string Products = "/organization/products";

    /// <summary>Allocate products to one user (the Users list's row menu), by membership id.</summary>
    public static string AllocateToUser(Guid membershipId) => $"/organization/users/{membershipId}/allocate";

    /// <summary>Assign products to several users: the ticked ones (their membership ids in the query) or picked here.</summary>
    public const string Assign = "/organization/products/assign";

    /// <summary>Assign products from a file of email,product,expires rows, reviewed before anything is allocated.</summary>
    public const string AssignCsv = "/organization/products/assign-csv";

    public const string AssignCsvTemplate = "/organization/products/assign-csv?handler=Template";
}
