using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace ChaosModular.Migrations.Sqlite.Billing
{
    /// <inheritdoc />
    public partial class InvoicesPaymentLockIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_invoices_PaymentLockId",
                schema: "billing",
                table: "invoices",
                column: "PaymentLockId",
                filter: "\"PaymentLockId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_invoices_PaymentLockId",
                schema: "billing",
                table: "invoices");
        }
    }
}
