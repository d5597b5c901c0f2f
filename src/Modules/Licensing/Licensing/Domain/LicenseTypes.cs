namespace ChaosModular.Licensing.Domain;

/// <summary>How the catalog's license types read on the pages.</summary>
internal static class LicenseTypes
{
    public static string Label(string? licenseType) => licenseType switch
    {
        "FloatingWorkstation" => "Floating workstation",
        "RenderNode" => "Render node",
        "FixedSeat" => "Fixed seat",
        null or "" => "–",
        _ => licenseType,
    };
}
