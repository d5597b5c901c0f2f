namespace ChaosModular.Licensing.Contracts;

/// <summary>Licensing's addresses for links from other modules and from emails; a test resolves each against the app.</summary>
public static class LicensingRoutes
{
    public const string Licenses = "/licensing";

    public static string License(Guid licenseId) => $"/licensing/licenses/{licenseId}";
}
