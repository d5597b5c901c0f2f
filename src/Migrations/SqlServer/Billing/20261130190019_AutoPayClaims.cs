using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.SqlServer.Billing
{
    /// <inheritdoc />
    public partial class AutoPayClaims : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AutoPayClaimId",
                schema: "billing",
                table: "invoices",
                type: "uniqueidentifier",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "AutoPayClaimedUntilUtc",
                schema: "billing",
                table: "invoices",
                type: "datetime2",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "AutoPayClaimId",
                schema: "billing",
                table: "invoices");

            migrationBuilder.DropColumn(
                name: "AutoPayClaimedUntilUtc",
                schema: "billing",
                table: "invoices");
        }
    }
}
