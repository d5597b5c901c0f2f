namespace ChaosModular.CloudCredits.Contracts;

/// <summary>Cloud Credits' addresses for links from other modules; a test resolves each against the app.</summary>
public static class CloudCreditsRoutes
{
    /// <summary>Products › Cloud Credits: the signed-in user's credits, allocation and (for a guest) the active-pool choice.</summary>
    public const string Credits = "/products/cloud-credits";

    /// <summary>The consumption API for the rendering service.</summary>
    public const string Api = "/api/cloud-credits/v1";

    public const string OpenApiDocument = "/openapi/cloud-credits-v1.json";
}
