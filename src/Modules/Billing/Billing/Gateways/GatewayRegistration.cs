using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChaosModular.Billing.Gateways;

/// <summary>Chooses the payment gateway: Stripe when <c>Stripe:SecretKey</c> is set, otherwise Simulated.</summary>
internal static class GatewayRegistration
{
    public static IServiceCollection AddPaymentGateway(this IServiceCollection services, IConfiguration configuration)
    {
        var stripe = configuration.GetSection(StripeOptions.Section);
        services.AddOptions<StripeOptions>().Bind(stripe).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>();
        if (!string.IsNullOrWhiteSpace(stripe[nameof(StripeOptions.SecretKey)]))
        {
            services.AddSingleton<IPaymentGateway, StripeGateway>();
        }
        else
        {
            services.AddSingleton<IPaymentGateway, SimulatedGateway>();
        }
        return services;
    }
}
