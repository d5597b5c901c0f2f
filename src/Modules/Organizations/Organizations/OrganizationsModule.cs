using ChaosModular.Modules.Infrastructure;
using ChaosModular.Modules.Infrastructure.Outbox;
using ChaosModular.Modules.Infrastructure.Persistence;
using ChaosModular.Organizations.Contracts.Events;
using ChaosModular.Organizations.Jobs;
using Hangfire;
using Microsoft.AspNetCore.Authentication;
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
        // The only claims transformation in the portal (ASP.NET Core runs one): it adds the organization administrator role from membership.
        services.AddScoped<IClaimsTransformation, OrganizationAdministratorClaims>();
        services.AddMemoryCache();
        services.AddSingleton<AdministratorMemory>();
        services.AddSingleton<IModuleDbContextConfiguration, MembershipChanges>();
        services.AddScoped<FindAccount>();
        services.AddScoped<SetUpOrganization>();
        services.AddScoped<ListOrganizations>();
        services.AddScoped<ShowOrganization>();
        services.AddScoped<AppointAdministrator>();
        services.AddScoped<RemoveAdministrator>();
        services.AddIntegrationEventHandler<OrganizationAdministratorAppointed, AppointAdministratorEmail>();
        services.AddModuleSeeder<OrganizationsSeeder>(Name);
        services.AddScoped<OrganizationAdministrators>();
        services.AddScoped<ListOrganizationUsers>();
        services.AddScoped<InvitationEmails>();
        services.AddScoped<InviteUser>();
        services.AddScoped<ManageInvitation>();
        services.AddScoped<AcceptInvitation>();
        services.AddScoped<RemoveUsers>();
        services.AddScoped<OrganizationAudit>();
        services.AddScoped<AuditLog>();
        services.AddScoped<OrganizationCredits>();
        services.AddScoped<AllocateCredits>();
        services.AddScoped<UploadBulkInvite>();
        services.AddScoped<ShowBulkInvite>();
        services.AddScoped<ChangeBulkInviteRoles>();
        services.AddScoped<SendBulkInvite>();
        services.AddScoped<RunBulkInvite>();
        services.AddScoped<BulkInviteJob>();
        services.AddScoped<BulkInviteResults>();
        services.AddScoped<ListBulkInvites>();
        services.AddScoped<ReviewRemovalCsv>();
        services.AddScoped<AllocateLicenses>();
        services.AddScoped<AllocateFromCsv>();
        services.AddScoped<RevokeAllocation>();
        services.AddScoped<ShowProducts>();
        services.AddScoped<UserAllocations>();
    }

    public void RegisterRecurringJobs(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<BulkInviteJob>(BulkInviteJob.SweepJobId, j => j.SweepAsync(CancellationToken.None), "*/5 * * * *");
}
