import type { CheckoutLocale } from '@switchyard/checkout';

/** The page's words per theme locale. Status headings fall back to the generic one for statuses not listed. */
export interface CheckoutMessages {
  title: (merchant: string) => string;
  amountDue: string;
  chooseMethod: string;
  pay: (amount: string) => string;
  noMethods: string;
  pickMethod: string;
  continueTitle: string;
  continueText: string;
  continueButton: string;
  processingTitle: string;
  processingText: string;
  refresh: string;
  backToMerchant: (merchant: string) => string;
  reference: string;
  secured: string;
  preview: string;
  methods: Record<string, string>;
  statuses: Record<string, string>;
  finalStatus: string;
}

const EN: CheckoutMessages = {
  title: (m) => `Pay ${m}`,
  amountDue: 'Amount due',
  chooseMethod: 'Choose a payment method',
  pay: (a) => `Pay ${a}`,
  noMethods: 'No payment method is available for this payment right now. Please contact the merchant.',
  pickMethod: 'Choose a payment method to continue.',
  continueTitle: 'One more step',
  continueText: 'Finish your payment on the payment provider’s page.',
  continueButton: 'Continue to payment',
  processingTitle: 'Confirming your payment',
  processingText: 'This page refreshes by itself. You do not need to pay again.',
  refresh: 'Refresh',
  backToMerchant: (m) => `Return to ${m}`,
  reference: 'Reference',
  secured: 'Secure checkout by Switchyard',
  preview: 'Preview: this page is not connected to a payment.',
  methods: {
    card: 'Card',
    upi: 'UPI',
    wallet: 'Wallet',
    bank_redirect: 'Online banking',
    pay_later: 'Pay later',
    bank_transfer: 'Bank transfer',
    reward: 'Reward points',
  },
  statuses: {
    succeeded: 'Payment successful',
    partially_captured: 'Payment received',
    requires_capture: 'Payment authorised',
    failed: 'Payment failed',
    cancelled: 'Payment cancelled',
    expired: 'Payment expired',
    requires_merchant_action: 'Payment under review',
  },
  finalStatus: 'This payment is complete. Nothing more to pay here.',
};

const FR: CheckoutMessages = {
  ...EN,
  title: (m) => `Payer ${m}`,
  amountDue: 'Montant à payer',
  chooseMethod: 'Choisissez un moyen de paiement',
  pay: (a) => `Payer ${a}`,
  noMethods: 'Aucun moyen de paiement n’est disponible pour ce paiement. Contactez le marchand.',
  pickMethod: 'Choisissez un moyen de paiement pour continuer.',
  continueTitle: 'Encore une étape',
  continueText: 'Terminez votre paiement sur la page du prestataire de paiement.',
  continueButton: 'Continuer vers le paiement',
  processingTitle: 'Confirmation du paiement',
  processingText: 'Cette page se met à jour seule. Ne payez pas une seconde fois.',
  refresh: 'Actualiser',
  backToMerchant: (m) => `Retour vers ${m}`,
  reference: 'Référence',
  secured: 'Paiement sécurisé par Switchyard',
  preview: 'Aperçu : cette page n’est liée à aucun paiement.',
  methods: { ...EN.methods, card: 'Carte', wallet: 'Portefeuille', bank_redirect: 'Banque en ligne' },
  statuses: {
    ...EN.statuses,
    succeeded: 'Paiement réussi',
    failed: 'Paiement refusé',
    cancelled: 'Paiement annulé',
    expired: 'Paiement expiré',
  },
  finalStatus: 'Ce paiement est terminé. Rien d’autre à payer ici.',
};

const ES: CheckoutMessages = {
  ...EN,
  title: (m) => `Pagar a ${m}`,
  amountDue: 'Importe a pagar',
  chooseMethod: 'Elige un método de pago',
  pay: (a) => `Pagar ${a}`,
  noMethods: 'No hay ningún método de pago disponible para este pago. Contacta con el comercio.',
  pickMethod: 'Elige un método de pago para continuar.',
  continueTitle: 'Un paso más',
  continueText: 'Termina el pago en la página del proveedor de pagos.',
  continueButton: 'Continuar al pago',
  processingTitle: 'Confirmando tu pago',
  processingText: 'Esta página se actualiza sola. No vuelvas a pagar.',
  refresh: 'Actualizar',
  backToMerchant: (m) => `Volver a ${m}`,
  reference: 'Referencia',
  secured: 'Pago seguro con Switchyard',
  preview: 'Vista previa: esta página no está vinculada a ningún pago.',
  methods: { ...EN.methods, card: 'Tarjeta', wallet: 'Monedero', bank_redirect: 'Banca en línea' },
  statuses: {
    ...EN.statuses,
    succeeded: 'Pago realizado',
    failed: 'Pago rechazado',
    cancelled: 'Pago cancelado',
    expired: 'Pago caducado',
  },
  finalStatus: 'Este pago ha terminado. No hay nada más que pagar aquí.',
};

const AR: CheckoutMessages = {
  ...EN,
  title: (m) => `الدفع إلى ${m}`,
  amountDue: 'المبلغ المستحق',
  chooseMethod: 'اختر طريقة الدفع',
  pay: (a) => `ادفع ${a}`,
  noMethods: 'لا توجد طريقة دفع متاحة لهذه العملية حالياً. يرجى التواصل مع التاجر.',
  pickMethod: 'اختر طريقة دفع للمتابعة.',
  continueTitle: 'خطوة أخيرة',
  continueText: 'أكمل الدفع على صفحة مزود خدمة الدفع.',
  continueButton: 'متابعة الدفع',
  processingTitle: 'جارٍ تأكيد الدفع',
  processingText: 'يتم تحديث هذه الصفحة تلقائياً. لا تدفع مرة أخرى.',
  refresh: 'تحديث',
  backToMerchant: (m) => `العودة إلى ${m}`,
  reference: 'المرجع',
  secured: 'دفع آمن عبر Switchyard',
  preview: 'معاينة: هذه الصفحة غير مرتبطة بعملية دفع.',
  methods: { ...EN.methods, card: 'بطاقة', wallet: 'محفظة', bank_redirect: 'الخدمات المصرفية عبر الإنترنت' },
  statuses: {
    ...EN.statuses,
    succeeded: 'تم الدفع بنجاح',
    failed: 'فشل الدفع',
    cancelled: 'تم إلغاء الدفع',
    expired: 'انتهت صلاحية الدفع',
  },
  finalStatus: 'اكتملت عملية الدفع. لا يوجد شيء آخر لدفعه هنا.',
};

export const MESSAGES: Record<CheckoutLocale, CheckoutMessages> = { en: EN, fr: FR, es: ES, ar: AR };
