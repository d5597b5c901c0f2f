namespace ChaosModular.Subscriptions.Domain;

/// <summary>
/// Why a subscription's seats or plan cannot be changed today (<see cref="Subscription.WhyCannotChange"/>):
/// it has expired, or its renewal date has come and the renewal is not paid yet, so a change now would be
/// priced against a period that is about to be replaced.
/// </summary>
internal enum CannotChange
{
    Expired,
    BeingRenewed,
}

internal static class CannotChangeMessages
{
    /// <param name="action">What the customer tried, as the start of a sentence: "Add seats", "Upgrade".</param>
    public static string Explain(this CannotChange why, string action) => why switch
    {
        CannotChange.Expired => "This subscription has expired.",
        _ => $"This subscription is being renewed. {action} once the renewal is paid.",
    };
}
