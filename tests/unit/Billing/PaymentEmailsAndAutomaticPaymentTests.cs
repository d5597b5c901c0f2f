using System.Text;
using ChaosModular.Billing.Data;
using ChaosModular.Billing.Domain;
using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Billing.Jobs;
using ChaosModular.Modules.Abstractions;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Notifications.Data;
using Microsoft.Extensions.Time.Testing;
using MimeKit;
using netDumbster.smtp;
using UglyToad.PdfPig;

namespace ChaosModular.UnitTests.Billing;

public sealed partial class PaymentEmailsAndAutomaticPaymentTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_payment_sends_a_receipt_with_its_pdf()
    {
        var port = Eventually.FreeTcpPort();
        using var smtp = SimpleSmtpServer.Start(port);
        await using var factory = new SqlitePortalFactory();
        factory.With("Smtp:Host", "127.0.0.1").With("Smtp:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture)).With("Smtp:Security", "None");
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("EUR", 80m);

        await customer.PayAsync(invoice.InvoiceId);

        var receipt = await Eventually.Until(() => Task.FromResult(smtp.ReceivedEmail
            .Select(m => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(m.Data))))
            .FirstOrDefault(m => m.Subject == "Receipt for your ChaosModular payment" && m.To.Mailboxes.Any(a => a.Address == customer.Email))), Patience, "the receipt");
        Assert.Contains(invoice.Number, receipt.TextBody, StringComparison.Ordinal);
        Assert.Contains("80.00 EUR", receipt.TextBody, StringComparison.Ordinal);
        var attachment = Assert.Single(receipt.Attachments.OfType<MimePart>());
        Assert.Equal("application/pdf", attachment.ContentType.MimeType);
        Assert.StartsWith("receipt-RCT-", attachment.FileName, StringComparison.Ordinal);
        using var content = new MemoryStream();
        await attachment.Content!.DecodeToAsync(content);
        using var pdf = PdfDocument.Open(content.ToArray());
        var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("RECEIPT", text, StringComparison.Ordinal);
        Assert.Contains(invoice.Number, text, StringComparison.Ordinal);
        Assert.Contains("80.00", text, StringComparison.Ordinal);
        // The PDF was made when the email was sent, not stored with the queued email.
        await using var scope = factory.Services.CreateAsyncScope();
        var stored = await scope.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails.AsNoTracking().Include(e => e.Attachments)
            .Where(e => e.ToAddress == customer.Email).SelectMany(e => e.Attachments).SingleAsync();
        Assert.Equal((0, "billing-receipt", attachment.FileName), (stored.Content.Length, stored.Renderer, stored.FileName));
    }

    [Fact]
    public async Task Automatic_payment_retries_on_schedule_emails_each_failure_and_marks_the_invoice_overdue()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var factory = new SqlitePortalFactory { Clock = clock };
        var customer = await BillingCustomer.SignUpAsync(factory, card: "4000000000000002");
        var invoice = await customer.InvoiceAsync("EUR", 99m);   // issued 2026-03-02, due 2026-03-16

        await RunJob(factory);
        Assert.Equal(0, (await Invoice(factory, invoice.InvoiceId)).AutoPayFailures);   // not due yet

        foreach (var (day, failures) in new[] { (16, 1), (19, 2), (23, 3) })
        {
            clock.SetUtcNow(new DateTimeOffset(2026, 3, day, 10, 0, 0, TimeSpan.Zero));
            await RunJob(factory);
            await RunJob(factory);   // a second run the same day changes nothing
            var stored = await Invoice(factory, invoice.InvoiceId);
            Assert.Equal((InvoiceStatus.Open, failures), (stored.Status, stored.AutoPayFailures));
        }
        clock.SetUtcNow(new DateTimeOffset(2026, 3, 30, 10, 0, 0, TimeSpan.Zero));
        await RunJob(factory);

        var overdue = await Invoice(factory, invoice.InvoiceId);
        Assert.Equal((InvoiceStatus.Overdue, 4, (DateTime?)null), (overdue.Status, overdue.AutoPayFailures, overdue.NextAutoPayUtc));
        await using var scope = factory.Services.CreateAsyncScope();
        var payments = await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Payments.Where(p => p.CustomerId == customer.UserId).ToListAsync();
        Assert.Equal(4, payments.Count);
        Assert.All(payments, p => Assert.Equal((PaymentStatus.Failed, true), (p.Status, p.Automatic)));
        var notices = await Eventually.Until(async () =>
        {
            await using var s = factory.Services.CreateAsyncScope();
            var emails = await s.ServiceProvider.GetRequiredService<NotificationsDbContext>().Emails
                .Where(e => e.ToAddress == customer.Email && e.Template == "payment-failed").ToListAsync();
            return emails.Count == 4 ? emails : null;
        }, Patience, "four payment-failed emails");
        Assert.Contains(notices, e => e.ModelJson.Contains("2026-03-19", StringComparison.Ordinal));

        // What the customer reads: each email names the amount, the invoice and the reason, and when (or whether) the next try is.
        var emails = await Mailbox.ReceivedAsync(factory, customer.Email, "Your ChaosModular payment did not go through", 4);
        Assert.All(emails, e => Assert.Contains($"We could not charge 99.00 EUR for invoice(s) {invoice.Number}: Your card was declined.", e.TextBody, StringComparison.Ordinal));
        Assert.Equal(
            ["We will not try again automatically.", "We will try again on 2026-03-19.", "We will try again on 2026-03-23.", "We will try again on 2026-03-30."],
            emails.Select(e => NextTry().Match(e.TextBody!).Value).Order(StringComparer.Ordinal));
    }
    [Fact]
    public async Task The_receipts_of_a_batch_of_payments_are_queued_together_each_to_its_payer_with_its_own_pdf()
    {
        await using var factory = new SqlitePortalFactory();
        var customers = new List<BillingCustomer>();
        for (var i = 0; i < 3; i++)
        {
            var customer = await BillingCustomer.SignUpAsync(factory);
            await customer.PayAsync((await customer.InvoiceAsync("EUR", 10m + i)).InvoiceId);
            customers.Add(customer);
        }
        await using var scope = factory.Services.CreateAsyncScope();
        var notifications = scope.ServiceProvider.GetRequiredService<NotificationsDbContext>();
        var receipts = notifications.Emails.Where(e => e.SourceKey.StartsWith("receipt:"));
        // The payments' own events queue their receipts one by one; drop those and hand the events to the handler as one batch.
        await Eventually.Until(async () => await receipts.CountAsync() == 3, Patience, "the three receipts queued");
        await receipts.SelectMany(e => e.Attachments).ExecuteDeleteAsync();
        await receipts.ExecuteDeleteAsync();
        var payments = await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Payments.AsNoTracking().ToListAsync();
        var subscription = scope.ServiceProvider.GetServices<IntegrationEventSubscription>().Single(s => s.EventType == typeof(PaymentSucceeded));
        var handler = (IIntegrationEventBatchHandler<PaymentSucceeded>)scope.ServiceProvider.GetRequiredService(subscription.HandlerType);

        await handler.HandleManyAsync([.. payments.Select(p => new PaymentSucceeded(Guid.NewGuid(), DateTime.UtcNow, p.Id, p.CustomerId))], CancellationToken.None);

        var emails = await notifications.Emails.AsNoTracking().Include(e => e.Attachments).Where(e => e.SourceKey.StartsWith("receipt:")).ToListAsync();
        Assert.Equal(customers.Select(c => c.Email).Order(), emails.Select(e => e.ToAddress).Order());
        foreach (var email in emails)
        {
            var payment = payments.Single(p => email.SourceKey == $"receipt:{p.Id:N}");
            Assert.Equal(customers.Single(c => c.UserId == payment.CustomerId).Email, email.ToAddress);
            var attachment = Assert.Single(email.Attachments);
            Assert.Equal(("billing-receipt", payment.Id.ToString("N")), (attachment.Renderer, attachment.Reference));
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"We will (try again on \d{4}-\d{2}-\d{2}|not try again automatically)\.")]
    private static partial System.Text.RegularExpressions.Regex NextTry();

    [Fact]
    public async Task Automatic_payment_pays_with_the_default_card_on_the_due_date()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 5, 1, 9, 0, 0, TimeSpan.Zero));
        await using var factory = new SqlitePortalFactory { Clock = clock };
        var customer = await BillingCustomer.SignUpAsync(factory);
        var invoice = await customer.InvoiceAsync("USD", 45m);

        clock.SetUtcNow(new DateTimeOffset(2026, 5, 15, 0, 30, 0, TimeSpan.Zero));
        await RunJob(factory);
        await RunJob(factory);

        Assert.Equal(InvoiceStatus.Paid, (await Invoice(factory, invoice.InvoiceId)).Status);
        await using var scope = factory.Services.CreateAsyncScope();
        var payment = Assert.Single(await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Payments.Where(p => p.CustomerId == customer.UserId).ToListAsync());
        Assert.Equal((PaymentStatus.Succeeded, 45m), (payment.Status, payment.Amount));
    }

    private static async Task RunJob(PortalFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AutomaticPaymentJob>().RunAsync(CancellationToken.None);
    }

    private static async Task<Invoice> Invoice(PortalFactory factory, Guid id)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<BillingDbContext>().Invoices.AsNoTracking().SingleAsync(i => i.Id == id);
    }
}
