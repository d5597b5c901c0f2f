using ChaosModular.Subscriptions.Contracts;
using System.Globalization;
using System.Net;
using ChaosModular.Accounts.Contracts;
using ChaosModular.Billing.Contracts;
using ChaosModular.Organizations.Contracts;
using System.Text;
using Microsoft.Extensions.Options;

namespace ChaosModular.Notifications.Templates;

internal sealed record RenderedEmail(string Subject, string Html, string Text);

/// <summary>Links the emails point to: <c>Portal:BaseUrl</c> and <c>Support:HelpCenterUrl</c>.</summary>
public sealed class EmailLinksOptions
{
    public string PortalBaseUrl { get; set; } = "http://localhost:5080";
    public string SupportUrl { get; set; } = "https://support.chaosmodular.local";
}

/// <summary>Renders each email as HTML and plain text from its typed message.</summary>
internal sealed class EmailTemplates(IOptions<EmailLinksOptions> links)
{
    public const string DateFormat = "yyyy-MM-dd";
    public const string DateTimeFormat = "yyyy-MM-dd HH:mm";

    public RenderedEmail Render(EmailMessage email)
    {
        var portal = links.Value.PortalBaseUrl.TrimEnd('/');
        var support = links.Value.SupportUrl;
        var greeting = $"Hello {email.ToName},";
        return email switch
        {
            WelcomeEmail m => Compose(
                "Welcome to ChaosModular",
                greeting,
                [
                    "Your ChaosModular account is ready.",
                    $"Your customer number is {m.CustomerNumber}. Quote it when you contact support or sales.",
                ],
                ("Open your account", portal + AccountsRoutes.Account)),
            PasswordChangedEmail m => Compose(
                "Your ChaosModular password was changed",
                greeting,
                [
                    $"The password of your ChaosModular account was changed on {Time(m.ChangedUtc)} (UTC), and your other sessions were signed out.",
                    $"If you did not change it, contact support at once: {support}",
                ],
                ("Sign in", portal + AccountsRoutes.SignIn)),
            PasswordResetEmail m => Compose(
                "Set a new ChaosModular password",
                greeting,
                [
                    $"Someone (we hope you) asked for a link to set a new password for your ChaosModular account. The link works once, until {Time(m.ExpiresUtc)} (UTC).",
                    "If you did not ask for it, ignore this email: your password stays as it is.",
                ],
                ("Set a new password", $"{portal}{AccountsRoutes.ResetPassword}?user={Uri.EscapeDataString(m.UserId)}&token={Uri.EscapeDataString(m.Token)}")),
            EmailConfirmationEmail m => Compose(
                "Confirm your email address for ChaosModular",
                greeting,
                [
                    "Please confirm that this is your email address by opening the link below. Until then your account can sign in, but cannot pay, invite people or join an organization.",
                    $"The link works until {Time(m.ExpiresUtc)} (UTC). If you did not create a ChaosModular account, ignore this email.",
                ],
                ("Confirm my email address", $"{portal}{AccountsRoutes.ConfirmEmail}?user={Uri.EscapeDataString(m.UserId)}&token={Uri.EscapeDataString(m.Token)}")),
            TakenEmailNoticeEmail m => Compose(
                "Someone tried to create a ChaosModular account with your address",
                greeting,
                [
                    $"On {Time(m.AttemptedUtc)} (UTC) someone filled in Create account with this email address, which already has a ChaosModular account. No new account was made and your account is unchanged.",
                    "If it was you, sign in instead; if you forgot your password, use Forgot password on the sign-in page. If it was not you, you need not do anything.",
                ],
                ("Sign in", portal + AccountsRoutes.SignIn)),
            ReceiptEmail m => Compose(
                "Receipt for your ChaosModular payment",
                greeting,
                [
                    $"Thank you: we received your payment of {m.Amount} on {Time(m.PaidUtc)} (UTC) with {m.Method}.",
                    $"It settles invoice(s) {List(m.Invoices)}. Your receipt is attached as a PDF.",
                ],
                ("View your invoices", portal + BillingRoutes.Invoices)),
            PaymentFailedEmail m => Compose(
                "Your ChaosModular payment did not go through",
                greeting,
                [
                    $"We could not charge {m.Amount} for invoice(s) {List(m.Invoices)}: {m.Reason}",
                    m.NextAttempt is { } next
                        ? $"We will try again on {Date(next)}. You can also pay now or update your payment method."
                        : "We will not try again automatically. Please pay the invoice(s) from your account.",
                ],
                ("Pay now", portal + BillingRoutes.Pay + "?all=true")),
            CreditGrantedEmail m => Compose(
                $"{m.Amount} was added to your ChaosModular credits",
                greeting,
                [
                    $"Your payment for invoice {m.Invoice} could not be used for what it paid for: {m.Reason}",
                    $"We have put {m.Amount} on your account as credit. It is applied to your next invoices in {m.Amount.Currency} before your card is charged.",
                ],
                ("View your invoices and credits", portal + BillingRoutes.Invoices)),
            RenewalReminderEmail { AutoRenew: true } m => Compose(
                $"Your {m.Product} subscription renews on {Date(m.RenewsOn)}",
                greeting,
                [
                    $"Your {m.Product} subscription ({Count(m.Seats)} seat(s)) renews automatically on {Date(m.RenewsOn)}.",
                    m.Method is null
                        ? $"We will invoice {m.Amount} (before tax) on that day. Add a payment method so the renewal can be charged."
                        : $"We will invoice {m.Amount} (before tax) on that day and charge it to your {m.Method}.",
                    "To change seats or auto-renewal, open the subscription in your account.",
                ],
                ("Manage the subscription", portal + SubscriptionsRoutes.Active)),
            RenewalReminderEmail m => Compose(
                $"Your {m.Product} subscription ends on {Date(m.RenewsOn)}",
                greeting,
                [
                    $"Auto-renewal is off, so your {m.Product} subscription ({Count(m.Seats)} seat(s)) ends on {Date(m.RenewsOn)}.",
                    "To keep using it, turn auto-renewal on in your account before that day; after it ends you can buy it again from Expired Products.",
                ],
                ("Manage the subscription", portal + SubscriptionsRoutes.Active)),
            SubscriptionExpiredEmail m => Compose(
                $"Your {m.Product} subscription has expired",
                greeting,
                [
                    $"Your {m.Product} subscription expired on {(m.ExpiredOn is { } on ? Date(on) : "")}." + (string.IsNullOrEmpty(m.Reason) ? "" : $" {m.Reason}"),
                    "You can buy it again at any time from Expired Products.",
                ],
                ("Buy again", portal + SubscriptionsRoutes.Expired)),
            OrganizationAdministratorAppointedEmail m => Compose(
                $"You are an administrator of {m.Organization}",
                greeting,
                [
                    $"ChaosModular support made you an administrator of the organization {m.Organization}.",
                    "From now on your account shows the Organization menu, where you manage the organization's users, licenses and cloud credits.",
                ],
                ("Open Organization", portal + OrganizationsRoutes.Organization)),
            OrganizationInvitationEmail m => Compose(
                $"You are invited to join {m.Organization} on ChaosModular",
                greeting,
                [
                    $"An administrator of {m.Organization} invites you to join it as a {m.Role.ToLowerInvariant()}.",
                    $"Sign in with this email address and accept the invitation before {Time(m.ExpiresUtc)} (UTC). If you did not expect it, ignore this email.",
                ],
                ("Accept the invitation", portal + OrganizationUsersRoutes.Invitation(m.Token))),
            OrganizationRemovalEmail m => Compose(
                $"You were removed from {m.Organization}",
                greeting,
                [
                    $"An administrator of {m.Organization} removed you from the organization on {Time(m.RemovedUtc)} (UTC).",
                    "Your own account, products and credits stay as they are. If you think this is a mistake, contact the organization's administrator.",
                ],
                ("Open your account", portal + AccountsRoutes.Account)),
            OrganizationBulkInviteReportEmail m => Compose(
                $"Your bulk invite to {m.Organization} has finished",
                greeting,
                [
                    $"The invitations from {m.FileName} are done: {Count(m.Invited)} of {Count(m.Rows)} row(s) invited, {Count(m.NotSent)} not sent.",
                    "The result of every row is attached as a CSV file; the status page shows them too.",
                ],
                ("Open the status page", portal + OrganizationUsersRoutes.BulkInvite(m.BulkInviteId))),
            _ => throw new InvalidOperationException($"{email.GetType().Name} has no email template."),
        };
    }

    private static string Date(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    private static string Time(DateTime utc) => utc.ToString(DateTimeFormat, CultureInfo.InvariantCulture);

    private static string Count(int n) => n.ToString(CultureInfo.InvariantCulture);

    private static string List(IReadOnlyList<string> items) => string.Join(", ", items);

    private static RenderedEmail Compose(string subject, string greeting, IReadOnlyList<string> paragraphs, (string Label, string Url) action)
    {
        var text = new StringBuilder()
            .AppendLine(greeting).AppendLine();
        foreach (var p in paragraphs)
        {
            text.AppendLine(p).AppendLine();
        }
        text.AppendLine($"{action.Label}: {action.Url}").AppendLine().AppendLine("The ChaosModular team");

        var html = new StringBuilder()
            .Append("<!DOCTYPE html><html><body style=\"font-family:Arial,sans-serif;color:#1d1d1f\">")
            .Append("<p>").Append(WebUtility.HtmlEncode(greeting)).Append("</p>");
        foreach (var p in paragraphs)
        {
            html.Append("<p>").Append(WebUtility.HtmlEncode(p)).Append("</p>");
        }
        html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(action.Url)).Append("\" style=\"background:#0d6efd;color:#fff;padding:8px 16px;border-radius:4px;text-decoration:none\">")
            .Append(WebUtility.HtmlEncode(action.Label)).Append("</a></p>")
            .Append("<p>The ChaosModular team</p></body></html>");
        return new RenderedEmail(subject, html.ToString(), text.ToString());
    }
}
