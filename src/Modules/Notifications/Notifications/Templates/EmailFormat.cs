using System.Globalization;

namespace ChaosModular.Notifications.Templates;

/// <summary>How the email templates write dates, times and counts: the same in every email, whatever the server's culture.</summary>
internal static class EmailFormat
{
    public const string DateFormat = "yyyy-MM-dd";
    public const string DateTimeFormat = "yyyy-MM-dd HH:mm";

    public static string Date(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static string Time(DateTime utc) => utc.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    public static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    public static string List(IReadOnlyList<string> items) => string.Join(", ", items);
}
