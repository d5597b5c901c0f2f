using ChaosModular.Accounts.Contracts.Events;
using ChaosModular.Billing.Contracts.Events;
using ChaosModular.Billing.Gateways;
using ChaosModular.Billing.IntegrationEventHandlers;
using ChaosModular.Billing.Jobs;
using Hangfire;
using ChaosModular.Modules.Infrastructure;
using ChaosModular.Modules.Infrastructure.Outbox;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosModular.Billing;

public sealed class BillingModule : IModule
{
    public string Name => BillingDbContext.Schema;

    public Type DbContextType => typeof(BillingDbContext);

    public void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<BillingDbContext>(Name);
        services.AddOptions<BillingOptions>().Bind(configuration.GetSection(BillingOptions.Section));
        // Read here, while the host is composed: a malformed rates file stops start-up with its problem named.
        services.AddSingleton(VatRates.Load(configuration[$"{BillingOptions.Section}:{nameof(BillingOptions.VatRatesFile)}"]));
        services.AddPaymentGateway(configuration);
        services.AddScoped<IssueInvoice>();
        services.AddScoped<PayInvoices>();
        services.AddScoped<CollectAutomatically>();
        services.AddScoped<ChargeInvoice>();
        services.AddScoped<VoidInvoice>();
        services.AddScoped<RefundInvoiceToCredit>();
        services.AddScoped<Purchase>();
        services.AddScoped<ListInvoices>();
        services.AddScoped<ReviewPayment>();
        services.AddScoped<ListCards>();
        services.AddScoped<SaveCard>();
        services.AddScoped<SetDefaultCard>();
        services.AddScoped<RemoveCard>();
        services.AddScoped<RetryOverdueWithNewCard>();
        services.AddScoped<SaveBillingInformation>();
        services.AddScoped<DownloadInvoicePdf>();
        services.AddModuleSeeder<BillingSeeder>(Name);
        services.AddScoped<AutomaticPaymentJob>();
        services.AddScoped<PendingPaymentsJob>();
        services.AddScoped<IBillingApi, BillingApi>();
        services.AddIntegrationEventHandler<CustomerRegistered, BillingProfileOnCustomerRegistered>();
        services.AddIntegrationEventHandler<PaymentSucceeded, ReceiptOnPaymentSucceeded>();
        services.AddScoped<ChaosModular.Notifications.Contracts.IEmailAttachmentRenderer, ReceiptAttachment>();
    }

    public void RegisterRecurringJobs(IRecurringJobManager jobs)
    {
        jobs.AddOrUpdate<AutomaticPaymentJob>(AutomaticPaymentJob.JobId, j => j.RunAsync(CancellationToken.None), Cron.Hourly());
        jobs.AddOrUpdate<PendingPaymentsJob>(PendingPaymentsJob.JobId, j => j.RunAsync(CancellationToken.None), "*/5 * * * *");
    }

    public void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(DownloadInvoicePdf.Route, async (Guid id, HttpContext http, ICurrentCustomer customer, DownloadInvoicePdf download) =>
            await download.HandleAsync(customer.Id, id, http.RequestAborted) is { } pdf
                ? Results.Stream(pdf.Content, "application/pdf", pdf.FileName)
                : Results.NotFound());
        StripeWebhook.Map(endpoints);
    }
}
