using System.Globalization;

namespace ChaosModular.Organizations.Areas.Organization.Pages;

/// <summary>How the Organization pages write statuses and times.</summary>
internal static class Display
{
    public static string Status(UserStatus status) => status switch
    {
        UserStatus.Active => "Active",
        UserStatus.Invited => "Invited",
        UserStatus.InvitationExpired => "Invitation expired",
        _ => status.ToString(),
    };

    public static string StatusBadge(UserStatus status) => status switch
    {
        UserStatus.Active => "text-bg-success",
        UserStatus.Invited => "text-bg-info",
        _ => "text-bg-warning",
    };

    public static string Utc(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

    public static string Day(DateTime utc) => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
