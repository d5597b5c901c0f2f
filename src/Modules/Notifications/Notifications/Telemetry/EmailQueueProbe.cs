using ChaosModular.Modules.Infrastructure.Telemetry;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosModular.Notifications.Telemetry;

/// <summary>Emails stored but not sent yet: waiting for their job, retrying, or given up after the last attempt.</summary>
internal sealed class EmailQueueProbe : IBacklogProbe
{
    public string Instrument => "chaosmodular.email.queue_length";

    public string Title => "Unsent emails";

    public string Unit => "{email}";

    public string Description => "Emails stored and not sent yet.";

    public async Task<double> MeasureAsync(IServiceProvider scope, DateTime utcNow, CancellationToken cancellationToken) =>
        await scope.GetRequiredService<NotificationsDbContext>().Emails.CountAsync(e => e.SentUtc == null, cancellationToken);
}
