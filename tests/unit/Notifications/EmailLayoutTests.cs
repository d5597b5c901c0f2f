using System.Text.RegularExpressions;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using ChaosModular.Accounts.Contracts;
using ChaosModular.Billing.Contracts;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Notifications.Contracts;
using ChaosModular.Notifications.IntegrationEventHandlers;
using ChaosModular.Notifications.Templates;
using ChaosModular.Organizations.Contracts;
using ChaosModular.Subscriptions.Contracts;
using Microsoft.Extensions.Options;
using MimeKit;

namespace ChaosModular.UnitTests.Notifications;

/// <summary>
/// Every email the portal sends, rendered as the recipient gets it: one layout (the portal's name in the header, the
/// footer with why they get it and the support and account links), its own facts and action link, a plain-text part
/// that says the same in words and "label: url" links, user input encoded, and a layout that fits a phone.
/// </summary>
public sealed partial class EmailLayoutTests
{
    private const string Portal = "http://portal.test";
    private const string Support = "https://support.test/hc";

    private static readonly EmailTemplates Templates = new(Options.Create(new EmailLinksOptions { PortalBaseUrl = Portal + "/", SupportUrl = Support }));

    private static readonly DateTime At = new(2026, 3, 4, 9, 7, 31, DateTimeKind.Utc);

    /// <summary>An email kind, what it must say (in the HTML and in the text) and where its button goes.</summary>
    public sealed record EmailCase(string Name, EmailMessage Message, string Subject, string Reason, string Action, string Url, IReadOnlyList<string> Facts);

    private static readonly Guid BulkInviteId = Guid.Parse("5d1c0e1a-86a4-4d3e-9a34-1f2b3c4d5e6f");
    private static readonly Guid OrderId = Guid.Parse("0b7e2f54-3c1d-4a8e-b6f0-9d2c1e4a7b35");

    private static List<EmailCase> Cases(string key)
    {
        string To(string name) => $"{name}-{key}@example.test";
        return
        [
            new("welcome", new WelcomeEmail($"{key}:1", To("welcome"), "Ada", "123456782"),
                "Welcome to ChaosModular", "because you created an account at ChaosModular", "Open your account", $"{Portal}/account",
                ["Your customer number is 123456782."]),
            new("password-changed", new PasswordChangedEmail($"{key}:2", To("password-changed"), "Ada", At),
                "Your ChaosModular password was changed", "we tell you whenever its password changes", "Sign in", Portal + AccountsRoutes.SignIn,
                ["changed on 2026-03-04 09:07 (UTC)", $"contact support at once: {Support}"]),
            new("password-reset", new PasswordResetEmail($"{key}:3", To("password-reset"), "Ada", "user-1", "tok+en/1", At),
                "Set a new ChaosModular password", "asked for a new password", "Set a new password",
                $"{Portal}{AccountsRoutes.ResetPassword}?user=user-1&token=tok%2Ben%2F1", ["The link works once, until 2026-03-04 09:07 (UTC)."]),
            new("email-confirmation", new EmailConfirmationEmail($"{key}:4", To("email-confirmation"), "Ada", "user-1", "tok_en", At),
                "Confirm your email address for ChaosModular", "was used to create an account", "Confirm my email address",
                $"{Portal}{AccountsRoutes.ConfirmEmail}?user=user-1&token=tok_en", ["The link works until 2026-03-04 09:07 (UTC)."]),
            new("taken-email", new TakenEmailNoticeEmail($"{key}:5", To("taken-email"), "Ada", At),
                "Someone tried to create a ChaosModular account with your address", "was entered in Create account", "Sign in", Portal + AccountsRoutes.SignIn,
                ["On 2026-03-04 09:07 (UTC)", "No new account was made and your account is unchanged."]),
            new("receipt", new ReceiptEmail($"{key}:6", To("receipt"), "Ada", new Money(1234.5m, "EUR"), ["INV-1", "INV-2"], At, "Visa ending in 4242"),
                "Receipt for your ChaosModular payment", "is the billing email of an account", "View your invoices", Portal + BillingRoutes.Invoices,
                ["we received your payment of 1,234.50 EUR on 2026-03-04 09:07 (UTC) with Visa ending in 4242.", "It settles invoice(s) INV-1, INV-2."]),
            new("payment-failed", new PaymentFailedEmail($"{key}:7", To("payment-failed"), "Ada", new Money(80m, "USD"), ["INV-3"], "Your card was declined.", new DateOnly(2026, 3, 19)),
                "Your ChaosModular payment did not go through", "is the billing email of an account", "Pay now", $"{Portal}{BillingRoutes.Pay}?all=true",
                ["We could not charge 80.00 USD for invoice(s) INV-3: Your card was declined.", "We will try again on 2026-03-19."]),
            new("credit-granted", new CreditGrantedEmail($"{key}:8", To("credit-granted"), "Ada", new Money(25m, "GBP"), "INV-9", "The order was cancelled."),
                "25.00 GBP was added to your ChaosModular credits", "is the billing email of an account", "View your invoices and credits", Portal + BillingRoutes.Invoices,
                ["Your payment for invoice INV-9 could not be used for what it paid for: The order was cancelled.", "We have put 25.00 GBP on your account as credit.", "your next invoices in GBP"]),
            new("renewal-reminder", new RenewalReminderEmail($"{key}:9", To("renewal-reminder"), "Ada", "V-Ray Solo", new DateOnly(2026, 4, 1), true, 3, new Money(1079.70m, "EUR"), "Visa ending in 4242"),
                "Your V-Ray Solo subscription renews on 2026-04-01", "has a V-Ray Solo subscription", "Manage the subscription", Portal + SubscriptionsRoutes.Active,
                ["Your V-Ray Solo subscription (3 seat(s)) renews automatically on 2026-04-01.", "We will invoice 1,079.70 EUR (before tax) on that day and charge it to your Visa ending in 4242."]),
            new("renewal-ends", new RenewalReminderEmail($"{key}:10", To("renewal-ends"), "Ada", "V-Ray Solo", new DateOnly(2026, 4, 1), false, 2, new Money(719.80m, "EUR"), null),
                "Your V-Ray Solo subscription ends on 2026-04-01", "has a V-Ray Solo subscription", "Manage the subscription", Portal + SubscriptionsRoutes.Active,
                ["Auto-renewal is off, so your V-Ray Solo subscription (2 seat(s)) ends on 2026-04-01."]),
            new("subscription-expired", new SubscriptionExpiredEmail($"{key}:11", To("subscription-expired"), "Ada", "V-Ray Solo", new DateOnly(2026, 4, 1), "The renewal invoice was not paid."),
                "Your V-Ray Solo subscription has expired", "had a V-Ray Solo subscription", "Buy again", Portal + SubscriptionsRoutes.Expired,
                ["Your V-Ray Solo subscription expired on 2026-04-01. The renewal invoice was not paid."]),
            new("administrator-appointed", new OrganizationAdministratorAppointedEmail($"{key}:12", To("administrator-appointed"), "Ada", "Studio Nine"),
                "You are an administrator of Studio Nine", "made your account an administrator of Studio Nine", "Open Organization", Portal + OrganizationsRoutes.Organization,
                ["ChaosModular support made you an administrator of the organization Studio Nine."]),
            new("invitation", new OrganizationInvitationEmail($"{key}:13", To("invitation"), "Ada", "Studio Nine", "Guest", "inv-token_1", At),
                "You are invited to join Studio Nine on ChaosModular", "an administrator of Studio Nine invited this email address", "Accept the invitation",
                Portal + OrganizationUsersRoutes.Invitation("inv-token_1"),
                ["An administrator of Studio Nine invites you to join it as a guest.", "accept the invitation before 2026-03-04 09:07 (UTC)."]),
            new("removal", new OrganizationRemovalEmail($"{key}:14", To("removal"), "Ada", "Studio Nine", At),
                "You were removed from Studio Nine", "was a member of Studio Nine", "Open your account", $"{Portal}/account",
                ["An administrator of Studio Nine removed you from the organization on 2026-03-04 09:07 (UTC)."]),
            new("bulk-invite-report", new OrganizationBulkInviteReportEmail($"{key}:15", To("bulk-invite-report"), "Ada", "Studio Nine", "people.csv", 12, 10, 2, BulkInviteId),
                "Your bulk invite to Studio Nine has finished", "you started a bulk invite for Studio Nine", "Open the status page", Portal + OrganizationUsersRoutes.BulkInvite(BulkInviteId),
                ["The invitations from people.csv are done: 10 of 12 row(s) invited, 2 not sent."]),
            new("order-completed", new OrderCompletedEmail($"{key}:16", To("order-completed"), "Ada", "3 added seat(s) of V-Ray Solo", new Money(311.62m, "EUR"), "INV-2026-000042", OrderId),
                "Your order is complete", "you placed this order at ChaosModular and its payment was still being confirmed", "View your order", Portal + SubscriptionsRoutes.Order(OrderId),
                ["The payment for your order has been confirmed, and the order has taken effect:", "3 added seat(s) of V-Ray Solo", "311.62 EUR before tax, invoice INV-2026-000042"]),
            new("order-failed", new OrderFailedEmail($"{key}:17", To("order-failed"), "Ada", "Upgrade of 2 seat(s) to V-Ray Premium", new Money(459.9m, "USD"), "INV-2026-000043",
                    "Your card was declined.", OrderId),
                "Your order could not be completed", "you placed this order at ChaosModular and its payment was still being confirmed", "View your order", Portal + SubscriptionsRoutes.Order(OrderId),
                ["The payment for your order did not go through: Your card was declined.", "Upgrade of 2 seat(s) to V-Ray Premium",
                    "459.90 USD before tax, invoice INV-2026-000043 (voided)", "Nothing was changed."]),
        ];
    }

    public static TheoryData<string> Names => [.. Cases("k").Select(c => c.Name)];

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Each_email_has_the_layout_its_facts_its_link_and_says_why_it_was_sent(string name)
    {
        var email = Cases("k").Single(c => c.Name == name);

        var rendered = await Templates.RenderAsync(email.Message);

        Assert.Equal(email.Subject, rendered.Subject);
        var html = new HtmlParser().ParseDocument(rendered.Html);
        Assert.Equal(email.Subject, html.Title);
        var header = html.QuerySelector("[data-email-part=header]")!;
        Assert.Equal(("ChaosModular", $"{Portal}/"), (header.TextContent, header.GetAttribute("href")));
        Assert.Equal("#212529", Regex.Match(header.ParentElement!.GetAttribute("style")!, "background-color:(#[0-9a-f]{6})").Groups[1].Value);
        var content = Words(html.QuerySelector(".email-content")!);
        Assert.Contains("Hello Ada,", content, StringComparison.Ordinal);
        Assert.All(email.Facts, fact => Assert.Contains(fact, content, StringComparison.Ordinal));
        var action = html.QuerySelector("[data-email-part=action]")!;
        Assert.Equal((email.Action, email.Url), (action.TextContent, action.GetAttribute("href")));
        var footer = html.QuerySelector("[data-email-part=footer]")!;
        Assert.Contains("You receive this email because", footer.TextContent, StringComparison.Ordinal);
        Assert.Contains(email.Reason, Words(footer), StringComparison.Ordinal);
        Assert.Equal([Support, $"{Portal}/account", $"{Portal}/"], footer.QuerySelectorAll("a").Select(a => a.GetAttribute("href")));

        var text = rendered.Text;
        Assert.Contains("Hello Ada,", text, StringComparison.Ordinal);
        Assert.All(email.Facts, fact => Assert.Contains(fact, text, StringComparison.Ordinal));
        Assert.Contains($"{email.Action}: {email.Url}", text, StringComparison.Ordinal);
        Assert.Contains("You receive this email because", text, StringComparison.Ordinal);
        Assert.Contains(email.Reason, text, StringComparison.Ordinal);
        Assert.Contains($"Support: {Support}", text, StringComparison.Ordinal);
        Assert.Contains($"Your account: {Portal}/account", text, StringComparison.Ordinal);
        Assert.DoesNotMatch("<[a-zA-Z/!]|&[a-z]+;|&#", text);
    }

    [Fact]
    public async Task The_plain_text_reads_as_heading_paragraphs_link_and_footer()
    {
        var rendered = await Templates.RenderAsync(Cases("k").Single(c => c.Name == "receipt").Message);

        var nl = Environment.NewLine;
        Assert.Equal(string.Join(nl + nl,
            "Payment received" + nl + "================",
            "Hello Ada,",
            "Thank you: we received your payment of 1,234.50 EUR on 2026-03-04 09:07 (UTC) with Visa ending in 4242.",
            "It settles invoice(s) INV-1, INV-2. Your receipt is attached as a PDF.",
            $"View your invoices: {Portal}/billing",
            "The ChaosModular team",
            "--",
            "You receive this email because this email address is the billing email of an account at ChaosModular.",
            $"Support: {Support}{nl}Your account: {Portal}/account{nl}ChaosModular customer portal: {Portal}/") + nl,
            rendered.Text);
    }

    /// <summary>A kind added without a case here (or without a component) fails: every email the portal can send is covered.</summary>
    [Fact]
    public void Every_kind_of_email_is_covered_here()
    {
        var kinds = new[] { typeof(EmailMessage).Assembly, typeof(EmailTemplates).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsSubclassOf(typeof(EmailMessage)) && !t.IsAbstract)
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal(kinds, Cases("k").Select(c => c.Message.GetType().Name).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task What_customers_and_administrators_typed_is_encoded_in_the_html_and_plain_in_the_text()
    {
        const string hostile = "<script>alert('x')</script>";
        var invitation = new OrganizationInvitationEmail("k", "a@example.test", hostile, "<b>Evil</b> & Co", "Member", "t", At);

        var rendered = await Templates.RenderAsync(invitation);

        Assert.DoesNotContain("<script>", rendered.Html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>Evil", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("Hello &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;,", rendered.Html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;Evil&lt;/b&gt; &amp; Co", rendered.Html, StringComparison.Ordinal);
        var html = new HtmlParser().ParseDocument(rendered.Html);
        Assert.Empty(html.QuerySelectorAll("script, b"));
        Assert.Contains($"Hello {hostile},", rendered.Text, StringComparison.Ordinal);
        Assert.Contains("An administrator of <b>Evil</b> & Co invites you", rendered.Text, StringComparison.Ordinal);
        Assert.Equal("You are invited to join <b>Evil</b> & Co on ChaosModular", rendered.Subject);
    }

    /// <summary>Phone width: the viewport is the device's, the card at most 600 px and otherwise the screen's width, narrower padding below 620 px.</summary>
    [Fact]
    public async Task The_html_fits_a_phone_screen()
    {
        var rendered = await Templates.RenderAsync(Cases("k")[0].Message);

        var html = new HtmlParser().ParseDocument(rendered.Html);
        Assert.Equal("width=device-width, initial-scale=1", html.QuerySelector("meta[name=viewport]")!.GetAttribute("content"));
        var card = html.QuerySelector(".email-container")!.GetAttribute("style")!;
        Assert.Contains("width:100%", card, StringComparison.Ordinal);
        Assert.Contains("max-width:600px", card, StringComparison.Ordinal);
        Assert.Contains("@media only screen and (max-width: 620px)", html.QuerySelector("head style")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"(?<!max-)width:\s*[0-9]{3,}px", rendered.Html);
    }

    /// <summary>A retried job renders the stored message again: the same email, byte for byte.</summary>
    [Fact]
    public async Task Rendering_a_stored_email_again_gives_the_same_email()
    {
        foreach (var email in Cases("k"))
        {
            var stored = StoredEmailModel.Deserialize(StoredEmailModel.TemplateOf(email.Message), email.Message.SourceKey, email.Message.ToAddress,
                email.Message.ToName, StoredEmailModel.Serialize(email.Message));
            Assert.Equal(await Templates.RenderAsync(email.Message), await Templates.RenderAsync(stored));
        }
    }

    /// <summary>
    /// Through the real path (stored, sent by the job, written as .eml by the pickup transport): each email is a
    /// multipart/alternative of a plain-text and an HTML part, both with its facts and its link.
    /// </summary>
    [Fact]
    public async Task Every_email_sent_is_multipart_alternative_with_text_and_html()
    {
        var pickup = Path.Combine(Path.GetTempPath(), "chaos-tests-mail", "layout-" + Guid.NewGuid().ToString("N"));
        await using var factory = new SqlitePortalFactory();
        factory.With("Smtp:Host", "").With("Smtp:PickupDirectory", pickup).With("Portal:BaseUrl", Portal).With("Support:HelpCenterUrl", Support);
        var cases = Cases(Guid.NewGuid().ToString("N"));
        _ = factory.CreatePortalClient();

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<EmailRequests>().QueueEmailsAsync([.. cases.Select(c => c.Message)], CancellationToken.None);
        }
        var messages = await Eventually.Until(async () =>
            {
                if (!Directory.Exists(pickup))
                {
                    return null;
                }
                // Other emails (the demo seed's) share the directory: wait until every case's recipient has one.
                var loaded = await Task.WhenAll(Directory.GetFiles(pickup, "*.eml").Select(f => MimeMessage.LoadAsync(f)));
                var recipients = loaded.Select(m => m.To.Mailboxes.Single().Address).ToHashSet(StringComparer.Ordinal);
                return cases.All(c => recipients.Contains(c.Message.ToAddress)) ? loaded : null;
            },
            TimeSpan.FromSeconds(45), "an .eml file per email");

        foreach (var email in cases)
        {
            using var message = messages.Single(m => m.To.Mailboxes.Single().Address == email.Message.ToAddress);
            Assert.Equal(email.Subject, message.Subject);
            var alternative = Assert.IsType<MultipartAlternative>(message.Body);
            Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
            Assert.Contains($"{email.Action}: {email.Url}", message.TextBody, StringComparison.Ordinal);
            Assert.Contains(email.Facts[0], message.TextBody, StringComparison.Ordinal);
            Assert.Contains("data-email-part=\"footer\"", message.HtmlBody, StringComparison.Ordinal);
            Assert.Contains(email.Facts[0], Words(new HtmlParser().ParseDocument(message.HtmlBody!).Body!), StringComparison.Ordinal);
        }
    }

    private static string Words(IElement element) => Whitespace().Replace(element.TextContent, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
