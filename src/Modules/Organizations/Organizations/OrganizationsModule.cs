using ChaosModular.Modules.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace ChaosModular.Organizations;

/// <summary>Organizations: the self-service portal of an account: administrators, members and guests, under the Organization menu.</summary>
public sealed class OrganizationsModule : IModule
{
    public string Name => OrganizationsDbContext.Schema;

    public Type DbContextType => typeof(OrganizationsDbContext);

    public void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddModuleDbContext<OrganizationsDbContext>(Name);
        services.AddScoped<IOrganizationsApi, OrganizationsApi>();
        services.AddScoped<OrganizationAdministrators>();
        services.AddScoped<ListOrganizationUsers>();
        services.AddScoped<InvitationEmails>();
        services.AddScoped<InviteUser>();
        services.AddScoped<ManageInvitation>();
        services.AddScoped<AcceptInvitation>();
        services.AddScoped<RemoveUsers>();
    }
}
