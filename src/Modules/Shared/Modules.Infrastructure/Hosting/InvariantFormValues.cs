using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Options;

namespace ChaosModular.Modules.Infrastructure.Hosting;

/// <summary>
/// Form fields are read with the invariant culture, as query strings already are. What the portal's forms post are
/// machine values written invariant (the price a review page showed, quantities, ids, dates as yyyy-MM-dd); ASP.NET
/// Core's default reads a form with the server's culture, so on a server with a decimal comma a posted "311.62" was
/// 31162 and every order was refused as "the price has changed".
/// </summary>
internal sealed class InvariantFormValues : IPostConfigureOptions<MvcOptions>
{
    // Post-configure: MVC adds its default factories in its own setup, which runs after the modules' registrations.
    public void PostConfigure(string? name, MvcOptions options)
    {
        for (var i = 0; i < options.ValueProviderFactories.Count; i++)
        {
            if (options.ValueProviderFactories[i] is FormValueProviderFactory)
            {
                options.ValueProviderFactories[i] = new InvariantFormValueProviderFactory();
            }
        }
    }

    private sealed class InvariantFormValueProviderFactory : IValueProviderFactory
    {
        public Task CreateValueProviderAsync(ValueProviderFactoryContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            return context.ActionContext.HttpContext.Request.HasFormContentType ? AddValueProviderAsync(context) : Task.CompletedTask;
        }

        private static async Task AddValueProviderAsync(ValueProviderFactoryContext context)
        {
            var request = context.ActionContext.HttpContext.Request;
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync();
            }
            // As the built-in factory: a malformed or cut-off body is the client's error (400), not the server's.
            catch (Exception ex) when (ex is InvalidDataException or IOException)
            {
                throw new ValueProviderException("The request's form could not be read.", ex);
            }
            context.ValueProviders.Add(new FormValueProvider(BindingSource.Form, form, CultureInfo.InvariantCulture));
        }
    }
}
