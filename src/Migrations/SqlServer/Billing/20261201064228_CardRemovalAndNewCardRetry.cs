using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.SqlServer.Billing
{
    /// <inheritdoc />
    public partial class CardRemovalAndNewCardRetry : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "RemovedUtc",
                schema: "billing",
                table: "payment_methods",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastAutoPayAttemptUtc",
                schema: "billing",
                table: "invoices",
                type: "datetime2",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "DefaultCardChangedUtc",
                schema: "billing",
                table: "billing_profiles",
                type: "datetime2",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "RemovedUtc",
                schema: "billing",
                table: "payment_methods");

            migrationBuilder.DropColumn(
                name: "LastAutoPayAttemptUtc",
                schema: "billing",
                table: "invoices");

            migrationBuilder.DropColumn(
                name: "DefaultCardChangedUtc",
                schema: "billing",
                table: "billing_profiles");
        }
    }
}
