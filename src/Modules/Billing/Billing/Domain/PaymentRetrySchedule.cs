namespace ChaosModular.Billing.Domain;

/// <summary>
/// Automatic payment of an open invoice: first on its due date, then 3, 7 and 14 days after it.
/// If the attempt on day 14 fails too, the invoice is marked Overdue and only a manual payment settles it.
/// </summary>
internal static class PaymentRetrySchedule
{
    public static readonly IReadOnlyList<int> DaysAfterDue = [0, 3, 7, 14];

    /// <summary>When the next automatic attempt is due, or null when the schedule is exhausted.</summary>
    public static DateTime? NextAttemptUtc(DateTime dueUtc, int failedAttempts) =>
        failedAttempts < DaysAfterDue.Count ? dueUtc.Date.AddDays(DaysAfterDue[failedAttempts]) : null;
}
