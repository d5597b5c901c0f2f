using System.Net;
using System.Text;
using ChaosModular.Notifications.Contracts;
using Microsoft.Extensions.Options;

namespace ChaosModular.Notifications.Templates;

internal sealed record RenderedEmail(string Subject, string Html, string Text);

/// <summary>Links the emails point to: <c>Portal:BaseUrl</c> and <c>Support:HelpCenterUrl</c>.</summary>
public sealed class EmailLinksOptions
{
    public string PortalBaseUrl { get; set; } = "http://localhost:5080";
    public string SupportUrl { get; set; } = "https://support.chaosmodular.local";
}

/// <summary>Renders each email as HTML and plain text from the values stored with it.</summary>
internal sealed class EmailTemplates(IOptions<EmailLinksOptions> links)
{
    public const string Welcome = "welcome";
    public const string PasswordChanged = "password-changed";

    public RenderedEmail Render(string template, IReadOnlyDictionary<string, string> model)
    {
        var portal = links.Value.PortalBaseUrl.TrimEnd('/');
        var support = links.Value.SupportUrl;
        return template switch
        {
            Welcome => Compose(
                "Welcome to ChaosModular",
                $"Hello {model["name"]},",
                [
                    "Your ChaosModular account is ready.",
                    $"Your customer number is {model["customerNumber"]}. Quote it when you contact support or sales.",
                ],
                ("Open your account", $"{portal}/account")),
            PasswordChanged => Compose(
                "Your ChaosModular password was changed",
                $"Hello {model["name"]},",
                [
                    $"The password of your ChaosModular account was changed on {model["changedUtc"]} (UTC), and your other sessions were signed out.",
                    $"If you did not change it, contact support at once: {support}",
                ],
                ("Sign in", $"{portal}/sign-in")),
            EmailTemplateNames.Receipt => Compose(
                "Receipt for your ChaosModular payment",
                $"Hello {model["name"]},",
                [
                    $"Thank you: we received your payment of {model["amount"]} on {model["paidUtc"]} (UTC) with {model["method"]}.",
                    $"It settles invoice(s) {model["invoices"]}. Your receipt is attached as a PDF.",
                ],
                ("View your invoices", $"{portal}/billing")),
            EmailTemplateNames.PaymentFailed => Compose(
                "Your ChaosModular payment did not go through",
                $"Hello {model["name"]},",
                [
                    $"We could not charge {model["amount"]} for invoice(s) {model["invoices"]}: {model["reason"]}",
                    string.IsNullOrEmpty(model.GetValueOrDefault("nextAttempt"))
                        ? "We will not try again automatically. Please pay the invoice(s) from your account."
                        : $"We will try again on {model["nextAttempt"]}. You can also pay now or update your payment method.",
                ],
                ("Pay now", $"{portal}/billing/pay?all=true")),
            EmailTemplateNames.RenewalReminder => model["autoRenew"] == "true"
                ? Compose(
                    $"Your {model["product"]} subscription renews on {model["renewsOn"]}",
                    $"Hello {model["name"]},",
                    [
                        $"Your {model["product"]} subscription ({model["seats"]} seat(s)) renews automatically on {model["renewsOn"]}.",
                        string.IsNullOrEmpty(model.GetValueOrDefault("method"))
                            ? $"We will invoice {model["amount"]} (before tax) on that day. Add a payment method so the renewal can be charged."
                            : $"We will invoice {model["amount"]} (before tax) on that day and charge it to your {model["method"]}.",
                        "To change seats or auto-renewal, open the subscription in your account.",
                    ],
                    ("Manage the subscription", $"{portal}/products"))
                : Compose(
                    $"Your {model["product"]} subscription ends on {model["renewsOn"]}",
                    $"Hello {model["name"]},",
                    [
                        $"Auto-renewal is off, so your {model["product"]} subscription ({model["seats"]} seat(s)) ends on {model["renewsOn"]}.",
                        "To keep using it, turn auto-renewal on in your account before that day; after it ends you can buy it again from Expired Products.",
                    ],
                    ("Manage the subscription", $"{portal}/products")),
            EmailTemplateNames.SubscriptionExpired => Compose(
                $"Your {model["product"]} subscription has expired",
                $"Hello {model["name"]},",
                [
                    $"Your {model["product"]} subscription expired on {model["expiredOn"]}." + (string.IsNullOrEmpty(model.GetValueOrDefault("reason")) ? "" : $" {model["reason"]}"),
                    "You can buy it again at any time from Expired Products.",
                ],
                ("Buy again", $"{portal}/products/expired")),
            _ => throw new InvalidOperationException($"Unknown email template '{template}'."),
        };
    }

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
