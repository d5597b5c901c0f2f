using ChaosModular.Notifications.Templates.Emails;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace ChaosModular.Notifications.Templates;

internal sealed record RenderedEmail(string Subject, string Html, string Text);

/// <summary>Links the emails point to: <c>Portal:BaseUrl</c> and <c>Support:HelpCenterUrl</c>.</summary>
public sealed class EmailLinksOptions
{
    public string PortalBaseUrl { get; set; } = "http://localhost:5080";
    public string SupportUrl { get; set; } = "https://support.chaosmodular.local";
}

/// <summary>
/// Renders an email from its typed message: the kind's Razor component (<c>Templates/Emails</c>, inside
/// <c>Templates/Layout/EmailLayout.razor</c>) through ASP.NET Core's <see cref="HtmlRenderer"/>, then the plain-text part
/// and the subject read from that HTML. Only the stored message and the configured links go in, so a retried job
/// renders the same email.
/// </summary>
internal sealed class EmailTemplates(IOptions<EmailLinksOptions> links)
{
    /// <summary>The components take everything as parameters and inject nothing.</summary>
    private static readonly IServiceProvider NoServices = new ServiceCollection().BuildServiceProvider();

    private static readonly Dictionary<Type, Type> Components = new()
    {
        [typeof(WelcomeEmail)] = typeof(Welcome),
        [typeof(PasswordChangedEmail)] = typeof(PasswordChanged),
        [typeof(PasswordResetEmail)] = typeof(PasswordReset),
        [typeof(EmailConfirmationEmail)] = typeof(EmailConfirmation),
        [typeof(TakenEmailNoticeEmail)] = typeof(TakenEmailNotice),
        [typeof(ReceiptEmail)] = typeof(Receipt),
        [typeof(PaymentFailedEmail)] = typeof(PaymentFailed),
        [typeof(CreditGrantedEmail)] = typeof(CreditGranted),
        [typeof(RenewalReminderEmail)] = typeof(RenewalReminder),
        [typeof(SubscriptionExpiredEmail)] = typeof(SubscriptionExpired),
        [typeof(OrderCompletedEmail)] = typeof(OrderCompleted),
        [typeof(OrderFailedEmail)] = typeof(OrderFailed),
        [typeof(OrganizationAdministratorAppointedEmail)] = typeof(OrganizationAdministratorAppointed),
        [typeof(OrganizationInvitationEmail)] = typeof(OrganizationInvitation),
        [typeof(OrganizationRemovalEmail)] = typeof(OrganizationRemoval),
        [typeof(OrganizationBulkInviteReportEmail)] = typeof(OrganizationBulkInviteReport),
    };

    public async Task<RenderedEmail> RenderAsync(EmailMessage email)
    {
        if (!Components.TryGetValue(email.GetType(), out var component))
        {
            throw new InvalidOperationException($"{email.GetType().Name} has no email template.");
        }
        var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
        {
            [nameof(EmailBody.Message)] = email,
            [nameof(EmailBody.Links)] = new EmailLinks(links.Value.PortalBaseUrl, links.Value.SupportUrl),
        });
        await using var renderer = new HtmlRenderer(NoServices, NullLoggerFactory.Instance);
        var html = await renderer.Dispatcher.InvokeAsync(async () => (await renderer.RenderComponentAsync(component, parameters)).ToHtmlString());
        var (subject, text) = PlainText.From(html);
        return new RenderedEmail(subject, html, text);
    }
}
