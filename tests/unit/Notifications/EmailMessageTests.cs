using System.Text.Json;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Notifications.Contracts;
using ChaosModular.Notifications.Templates;
using Microsoft.Extensions.Options;

namespace ChaosModular.UnitTests.Notifications;

/// <summary>
/// Each typed email renders the text the dictionary templates did, from the message stored on its row;
/// a row stored before messages were typed (template + dictionary of strings) renders the same text.
/// </summary>
public sealed class EmailMessageTests
{
    private static readonly EmailTemplates Templates = new(Options.Create(new EmailLinksOptions
    {
        PortalBaseUrl = "http://portal.test/",
        SupportUrl = "https://support.test/hc",
    }));

    private static readonly DateTime Paid = new(2026, 3, 4, 9, 7, 31, DateTimeKind.Utc);

    public static TheoryData<string, EmailMessage, Dictionary<string, string>, string, string> Emails => new()
    {
        {
            "welcome",
            new WelcomeEmail("k1", "ada@example.test", "Ada", "123456782"),
            new() { ["name"] = "Ada", ["customerNumber"] = "123456782" },
            "Welcome to ChaosModular",
            "Hello Ada,\n\nYour ChaosModular account is ready.\n\nYour customer number is 123456782. Quote it when you contact support or sales.\n\nOpen your account: http://portal.test/account"
        },
        {
            "password-changed",
            new PasswordChangedEmail("k2", "ada@example.test", "Ada", Paid),
            new() { ["name"] = "Ada", ["changedUtc"] = "2026-03-04 09:07" },
            "Your ChaosModular password was changed",
            "Hello Ada,\n\nThe password of your ChaosModular account was changed on 2026-03-04 09:07 (UTC), and your other sessions were signed out.\n\nIf you did not change it, contact support at once: https://support.test/hc\n\nSign in: http://portal.test/sign-in"
        },
        {
            "receipt",
            new ReceiptEmail("k3", "ada@example.test", "Ada", new Money(1234.5m, "EUR"), ["INV-1", "INV-2"], Paid, "Visa ending in 4242"),
            new() { ["name"] = "Ada", ["amount"] = "1,234.50 EUR", ["invoices"] = "INV-1, INV-2", ["paidUtc"] = "2026-03-04 09:07", ["method"] = "Visa ending in 4242" },
            "Receipt for your ChaosModular payment",
            "Hello Ada,\n\nThank you: we received your payment of 1,234.50 EUR on 2026-03-04 09:07 (UTC) with Visa ending in 4242.\n\nIt settles invoice(s) INV-1, INV-2. Your receipt is attached as a PDF.\n\nView your invoices: http://portal.test/billing"
        },
        {
            "payment-failed",
            new PaymentFailedEmail("k4", "ada@example.test", "Ada", new Money(80m, "USD"), ["INV-3"], "Your card was declined.", new DateOnly(2026, 3, 19)),
            new() { ["name"] = "Ada", ["amount"] = "80.00 USD", ["invoices"] = "INV-3", ["reason"] = "Your card was declined.", ["nextAttempt"] = "2026-03-19" },
            "Your ChaosModular payment did not go through",
            "Hello Ada,\n\nWe could not charge 80.00 USD for invoice(s) INV-3: Your card was declined.\n\nWe will try again on 2026-03-19. You can also pay now or update your payment method.\n\nPay now: http://portal.test/billing/pay?all=true"
        },
        {
            "payment-failed",
            new PaymentFailedEmail("k5", "ada@example.test", "Ada", new Money(1500m, "JPY"), ["INV-4"], "Your card was declined.", null),
            new() { ["name"] = "Ada", ["amount"] = "1,500 JPY", ["invoices"] = "INV-4", ["reason"] = "Your card was declined.", ["nextAttempt"] = "" },
            "Your ChaosModular payment did not go through",
            "Hello Ada,\n\nWe could not charge 1,500 JPY for invoice(s) INV-4: Your card was declined.\n\nWe will not try again automatically. Please pay the invoice(s) from your account.\n\nPay now: http://portal.test/billing/pay?all=true"
        },
        {
            "renewal-reminder",
            new RenewalReminderEmail("k6", "ada@example.test", "Ada", "V-Ray Solo", new DateOnly(2026, 4, 1), true, 3, new Money(1079.70m, "EUR"), "Visa ending in 4242"),
            new() { ["name"] = "Ada", ["product"] = "V-Ray Solo", ["renewsOn"] = "2026-04-01", ["autoRenew"] = "true", ["seats"] = "3", ["amount"] = "1,079.70 EUR", ["method"] = "Visa ending in 4242" },
            "Your V-Ray Solo subscription renews on 2026-04-01",
            "Hello Ada,\n\nYour V-Ray Solo subscription (3 seat(s)) renews automatically on 2026-04-01.\n\nWe will invoice 1,079.70 EUR (before tax) on that day and charge it to your Visa ending in 4242.\n\nTo change seats or auto-renewal, open the subscription in your account.\n\nManage the subscription: http://portal.test/products"
        },
        {
            "renewal-reminder",
            new RenewalReminderEmail("k7", "ada@example.test", "Ada", "V-Ray Solo", new DateOnly(2026, 4, 1), true, 1, new Money(359.90m, "EUR"), null),
            new() { ["name"] = "Ada", ["product"] = "V-Ray Solo", ["renewsOn"] = "2026-04-01", ["autoRenew"] = "true", ["seats"] = "1", ["amount"] = "359.90 EUR", ["method"] = "" },
            "Your V-Ray Solo subscription renews on 2026-04-01",
            "Hello Ada,\n\nYour V-Ray Solo subscription (1 seat(s)) renews automatically on 2026-04-01.\n\nWe will invoice 359.90 EUR (before tax) on that day. Add a payment method so the renewal can be charged.\n\nTo change seats or auto-renewal, open the subscription in your account.\n\nManage the subscription: http://portal.test/products"
        },
        {
            "renewal-reminder",
            new RenewalReminderEmail("k8", "ada@example.test", "Ada", "V-Ray Solo", new DateOnly(2026, 4, 1), false, 2, new Money(719.80m, "EUR"), null),
            new() { ["name"] = "Ada", ["product"] = "V-Ray Solo", ["renewsOn"] = "2026-04-01", ["autoRenew"] = "false", ["seats"] = "2", ["amount"] = "719.80 EUR", ["method"] = "" },
            "Your V-Ray Solo subscription ends on 2026-04-01",
            "Hello Ada,\n\nAuto-renewal is off, so your V-Ray Solo subscription (2 seat(s)) ends on 2026-04-01.\n\nTo keep using it, turn auto-renewal on in your account before that day; after it ends you can buy it again from Expired Products.\n\nManage the subscription: http://portal.test/products"
        },
        {
            "subscription-expired",
            new SubscriptionExpiredEmail("k9", "ada@example.test", "Ada", "V-Ray Solo", new DateOnly(2026, 4, 1), "The renewal invoice was not paid."),
            new() { ["name"] = "Ada", ["product"] = "V-Ray Solo", ["expiredOn"] = "2026-04-01", ["reason"] = "The renewal invoice was not paid." },
            "Your V-Ray Solo subscription has expired",
            "Hello Ada,\n\nYour V-Ray Solo subscription expired on 2026-04-01. The renewal invoice was not paid.\n\nYou can buy it again at any time from Expired Products.\n\nBuy again: http://portal.test/products/expired"
        },
        {
            "subscription-expired",
            new SubscriptionExpiredEmail("k10", "ada@example.test", "Ada", "V-Ray Solo", new DateOnly(2026, 4, 1), null),
            new() { ["name"] = "Ada", ["product"] = "V-Ray Solo", ["expiredOn"] = "2026-04-01", ["reason"] = "" },
            "Your V-Ray Solo subscription has expired",
            "Hello Ada,\n\nYour V-Ray Solo subscription expired on 2026-04-01.\n\nYou can buy it again at any time from Expired Products.\n\nBuy again: http://portal.test/products/expired"
        },
    };

    [Theory]
    [MemberData(nameof(Emails))]
    public async Task A_stored_message_renders_the_emails_text(string template, EmailMessage message, Dictionary<string, string> legacy, string subject, string text)
    {
        _ = legacy;
        Assert.Equal(template, StoredEmailModel.TemplateOf(message));
        var stored = StoredEmailModel.Deserialize(template, message.SourceKey, message.ToAddress, message.ToName, StoredEmailModel.Serialize(message));

        var rendered = await Templates.RenderAsync(stored);

        Assert.Equal(subject, rendered.Subject);
        Assert.Contains(Body(text), rendered.Text, StringComparison.Ordinal);
        Assert.Equal(await Templates.RenderAsync(message), rendered);
    }

    [Theory]
    [MemberData(nameof(Emails))]
    public async Task A_row_stored_before_messages_were_typed_renders_the_same_email(string template, EmailMessage message, Dictionary<string, string> legacy, string subject, string text)
    {
        var stored = StoredEmailModel.Deserialize(template, message.SourceKey, message.ToAddress, message.ToName, JsonSerializer.Serialize(legacy));

        var rendered = await Templates.RenderAsync(stored);

        Assert.Equal(subject, rendered.Subject);
        Assert.Contains(Body(text), rendered.Text, StringComparison.Ordinal);
        Assert.Equal((await Templates.RenderAsync(message)).Html, rendered.Html);
    }

    [Fact]
    public void Attachments_are_stored_beside_the_message_not_in_its_json()
    {
        var receipt = new ReceiptEmail("k", "ada@example.test", "Ada", new Money(10m, "EUR"), ["INV-1"], Paid, "your card")
        {
            Attachments = [new EmailAttachment("receipt.pdf", "application/pdf", [1, 2, 3])],
        };

        var json = StoredEmailModel.Serialize(receipt);

        Assert.DoesNotContain("attachments", json, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"sourceKey\":\"k\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_template_on_a_row_fails_its_sending_rather_than_guessing()
    {
        Assert.Throws<InvalidOperationException>(() => StoredEmailModel.Deserialize("newsletter", "k", "a@example.test", "A", "{}"));
    }

    /// <summary>The email's own part of the plain text, between its heading and the layout's footer: the same words as before the layout.</summary>
    private static string Body(string text) => Environment.NewLine + text.Replace("\n", Environment.NewLine, StringComparison.Ordinal) + Environment.NewLine + Environment.NewLine + "The ChaosModular team" + Environment.NewLine;
}
