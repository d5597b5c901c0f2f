using System.Globalization;

namespace ChaosModular.Licensing.Areas.Licensing.Pages;

/// <summary>How the Licensing pages write modes and times (UTC, like the files the servers read).</summary>
internal static class Display
{
    public static string Mode(ActivationMode mode) => mode switch
    {
        ActivationMode.Online => "Online",
        ActivationMode.OfflineFile => "Offline file",
        _ => mode.ToString(),
    };

    public static string Utc(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string Day(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
