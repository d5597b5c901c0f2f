using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.Sqlite.Billing
{
    /// <inheritdoc />
    public partial class InvoiceSourceReferenceAndVoid : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "VoidReason",
                schema: "billing",
                table: "invoices",
                type: "TEXT",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "VoidedUtc",
                schema: "billing",
                table: "invoices",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_invoices_CustomerId_SourceReference",
                schema: "billing",
                table: "invoices",
                columns: new[] { "CustomerId", "SourceReference" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_invoices_CustomerId_SourceReference",
                schema: "billing",
                table: "invoices");

            migrationBuilder.DropColumn(
                name: "VoidReason",
                schema: "billing",
                table: "invoices");

            migrationBuilder.DropColumn(
                name: "VoidedUtc",
                schema: "billing",
                table: "invoices");
        }
    }
}
