namespace ChaosModular.Subscriptions.Domain;

/// <summary>
/// When auto-renewal may be switched (the vendor's rule): it can be disabled until 30 days (annual)
/// or 7 days (monthly) before the renewal date, and enabled until 1 day before it. "Until N days
/// before" includes that day: for a renewal on 31 March, an annual subscription can be disabled up
/// to and including 1 March, and enabled up to and including 30 March.
/// </summary>
internal static class AutoRenewalWindow
{
    public static DateOnly LastDayToDisable(DateOnly renewalDate, bool annual) => renewalDate.AddDays(annual ? -30 : -7);

    public static DateOnly LastDayToEnable(DateOnly renewalDate) => renewalDate.AddDays(-1);

    public static bool CanDisable(DateOnly today, DateOnly renewalDate, bool annual) => today <= LastDayToDisable(renewalDate, annual);

    public static bool CanEnable(DateOnly today, DateOnly renewalDate) => today <= LastDayToEnable(renewalDate);
}
