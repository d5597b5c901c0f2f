namespace ChaosModular.Licensing.Contracts;

/// <summary>Licensing's addresses for links from other modules and from emails; a test resolves each against the app.</summary>
public static class LicensingRoutes
{
    public const string Licenses = "/licensing";

    public static string License(Guid licenseId) => $"/licensing/licenses/{licenseId}";

    /// <summary>Licensing › License Servers: the account's servers and borrowed seats.</summary>
    public const string Servers = "/licensing/servers";

    public const string ActivateFromFile = "/licensing/servers/activate";

    public static string FileActivation(Guid activationId) => $"/licensing/servers/activations/{activationId}";

    /// <summary>The activation response file, as a download.</summary>
    public static string ActivationResponse(Guid activationId) => $"/licensing/servers/activations/{activationId}/response";

    public static string DeactivateServer(Guid serverId) => $"/licensing/servers/{serverId}/deactivate";

    public const string Borrow = "/licensing/borrow";

    public static string Borrowed(Guid borrowId) => $"/licensing/borrows/{borrowId}";

    /// <summary>The borrow file, as a download.</summary>
    public static string BorrowFile(Guid borrowId) => $"/licensing/borrows/{borrowId}/file";
}
