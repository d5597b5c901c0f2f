using ChaosModular.Accounts.Contracts;
using ChaosModular.Billing.Contracts;
using ChaosModular.Catalog.Contracts;
using ChaosModular.Notifications.Contracts;

namespace ChaosModular.Subscriptions.Features;

/// <summary>
/// Reminds customers before a renewal: 45, 30 and 4 days before for annual subscriptions, 4 days before
/// for monthly ones (with auto-renewal off the reminder says the subscription will end). Each reminder
/// has its own email key, so running daily, twice, or after a missed day sends each one at most once;
/// after a missed day only the latest reminder due is sent, not a backlog.
/// </summary>
internal sealed class SendRenewalReminders(SubscriptionsDbContext db, INotificationsApi notifications, IAccountsApi accounts, ICatalogApi catalog, IBillingApi billing, TimeProvider clock)
{
    public static readonly IReadOnlyList<int> AnnualDaysBefore = [45, 30, 4];
    public static readonly IReadOnlyList<int> MonthlyDaysBefore = [4];

    /// <summary>The reminder due today: the closest of the reminder days already reached, or null.</summary>
    public static int? ReminderDue(DateOnly today, DateOnly renewsOn, bool annual)
    {
        var daysLeft = renewsOn.DayNumber - today.DayNumber;
        if (daysLeft <= 0)
        {
            return null;
        }
        var reached = (annual ? AnnualDaysBefore : MonthlyDaysBefore).Where(d => daysLeft <= d).ToList();
        return reached.Count == 0 ? null : reached.Min();
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var today = clock.Today();
        var horizon = today.AddDays(AnnualDaysBefore.Max());
        var upcoming = await db.Subscriptions.AsNoTracking()
            .Where(s => s.Status == SubscriptionStatus.Active && s.RenewsOn > today && s.RenewsOn <= horizon)
            .ToListAsync(cancellationToken);
        // Looked up once per customer and product in a run, not once per subscription.
        var customers = new Dictionary<string, CustomerSummary?>(StringComparer.Ordinal);
        var methods = new Dictionary<string, PaymentMethodSummary?>(StringComparer.Ordinal);
        var products = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var s in upcoming)
        {
            if (ReminderDue(today, s.RenewsOn, s.IsAnnual) is not { } days)
            {
                continue;
            }
            if (!customers.TryGetValue(s.CustomerId, out var customer))
            {
                customers[s.CustomerId] = customer = await accounts.FindCustomerAsync(s.CustomerId, cancellationToken);
                methods[s.CustomerId] = customer is null ? null : await billing.DefaultPaymentMethodAsync(s.CustomerId, cancellationToken);
            }
            if (customer is null)
            {
                continue;
            }
            if (!products.TryGetValue(s.ProductCode, out var product))
            {
                products[s.ProductCode] = product = (await catalog.ProductAsync(s.ProductCode, cancellationToken))?.Name ?? s.ProductCode;
            }
            var method = methods[s.CustomerId];
            await notifications.QueueEmailAsync(new RenewalReminderEmail($"renewal-reminder:{s.Id:N}:{s.RenewsOn:yyyyMMdd}:{days}", customer.Email, customer.Name,
                Product: product,
                RenewsOn: s.RenewsOn,
                AutoRenew: s.AutoRenew,
                Seats: s.SeatsAtRenewal,
                Amount: (s.PricePerSeatPerTerm * s.SeatsAtRenewal).Rounded(),
                Method: method is null ? null : $"{method.Brand} ending in {method.Last4}"), cancellationToken);
        }
    }
}
